#!/bin/sh
# The guest's servers, each with a private config and state under STATE:
# Samba (smbd: one writable guest share, NetBIOS off, port 445), MariaDB
# (private datadir and socket, no TCP) and Apache with mod_php (port 80)
# serving index.php, which INSERTs one integer and answers with a fixed
# 256-byte body, as the paper's page did.  Runs in the current network
# namespace: the testbed calls it through `ip netns exec guest`, the VM's
# init inside the guest.
#   sh servers.sh start STATE | stop STATE | wait STATE | prepare STATE
# (prepare: only the database files, so that a slow emulated guest finds
# them made)
set -u
cmd=$1
S=$2
mkdir -p "$S"
S=$(cd "$S" && pwd)
RUN=$S/run

stop() {
	for p in apache2 smbd mysqld; do
		f=$RUN/$p.pid
		[ -s "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null
		rm -f "$f"
	done
	# apache's children and smbd's helpers of this STATE only
	pkill -f "apache2 -f $S/apache2.conf" 2>/dev/null
	pkill -f "smbd.*$S/smb.conf" 2>/dev/null
	return 0
}

prepare() {
	mkdir -p "$S/log"
	[ -d "$S/db/mysql" ] && return 0
	mariadb-install-db --no-defaults --datadir="$S/db" --user=root \
		--auth-root-authentication-method=normal --skip-test-db \
		--innodb-log-file-size=8M > "$S/log/install-db.log" 2>&1 ||
		{ echo "servers: mariadb-install-db failed (see $S/log/install-db.log)" >&2; return 1; }
}

start() {
	mkdir -p "$RUN" "$S/share" "$S/www" "$S/samba/private" "$S/samba/lock" \
		"$S/samba/state" "$S/samba/cache" "$S/samba/ncalrpc" "$S/log"
	chmod 755 "$S" "$RUN" "$S/www"
	chmod 777 "$S/share"

	# ---- MariaDB ----
	prepare || return 1
	# each server in a session of its own: smbd signals its whole process
	# group when it stops, which must not be the caller's.  The pool's
	# maximum is bounded: by default InnoDB reserves 8 TB of address
	# space for it, which a User-mode Linux guest cannot map; gVisor has
	# no Linux native AIO (VMNR_NO_NATIVE_AIO, set by its bundle)
	setsid mariadbd --no-defaults --datadir="$S/db" --socket="$RUN/mysqld.sock" \
		--pid-file="$RUN/mysqld.pid" --skip-networking --user=root \
		--innodb-buffer-pool-size=32M --innodb-buffer-pool-size-max=64M --innodb-log-file-size=8M --log-error="$S/log/mysqld.err" \
		${VMNR_NO_NATIVE_AIO:+--innodb-use-native-aio=0} \
		< /dev/null > /dev/null 2>&1 &
	i=0
	until mariadb --no-defaults -S "$RUN/mysqld.sock" -uroot -e 'SELECT 1' > /dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 600 ] && { echo "servers: mariadbd did not start (see $S/log/mysqld.err)" >&2; return 1; }
		sleep 0.2
	done
	mariadb --no-defaults -S "$RUN/mysqld.sock" -uroot <<'SQL' || return 1
CREATE DATABASE IF NOT EXISTS vmnr;
CREATE USER IF NOT EXISTS 'vmnr'@'localhost' IDENTIFIED BY 'vmnr';
GRANT INSERT, SELECT ON vmnr.* TO 'vmnr'@'localhost';
CREATE TABLE IF NOT EXISTS vmnr.hits (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL);
SQL

	# ---- Apache + mod_php ----
	cat > "$S/www/index.php" <<PHP
<?php
\$db = new mysqli('localhost', 'vmnr', 'vmnr', 'vmnr', 0, '$RUN/mysqld.sock');
\$db->query('INSERT INTO hits (v) VALUES (1)');
header('Content-Type: text/plain');
echo str_pad('inserted', 255, '.'), "\n";
PHP
	M=/usr/lib/apache2/modules
	cat > "$S/apache2.conf" <<CONF
ServerName guest
ServerRoot $S
Listen 80
PidFile $RUN/apache2.pid
DefaultRuntimeDir $RUN
Mutex file:$RUN default
ErrorLog $S/log/apache-error.log
LogLevel warn
User www-data
Group www-data
LoadModule mpm_prefork_module $M/mod_mpm_prefork.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule dir_module $M/mod_dir.so
LoadModule mime_module $M/mod_mime.so
LoadModule php_module $M/libphp8.2.so
TypesConfig /etc/mime.types
StartServers 2
MinSpareServers 2
MaxSpareServers 4
MaxRequestWorkers 8
KeepAlive On
MaxKeepAliveRequests 0
DocumentRoot $S/www
DirectoryIndex index.php
<Directory $S/www>
    Require all granted
</Directory>
<FilesMatch "\\.php\$">
    SetHandler application/x-httpd-php
</FilesMatch>
CONF
	setsid apache2 -f "$S/apache2.conf" -k start > "$S/log/apache-start.log" 2>&1 ||
		{ echo "servers: apache2 did not start: $(cat "$S/log/apache-start.log")" >&2; return 1; }

	# ---- Samba ----
	cat > "$S/smb.conf" <<CONF
[global]
  server role = standalone server
  disable netbios = yes
  smb ports = 445
  server min protocol = SMB2
  map to guest = Bad User
  guest account = nobody
  private dir = $S/samba/private
  lock directory = $S/samba/lock
  state directory = $S/samba/state
  cache directory = $S/samba/cache
  ncalrpc dir = $S/samba/ncalrpc
  pid directory = $RUN
  log file = $S/log/smbd.log
  log level = 0
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  rpc start on demand helpers = no
[share]
  path = $S/share
  read only = no
  guest ok = yes
  guest only = yes
  force user = root
CONF
	setsid smbd --foreground --no-process-group --configfile="$S/smb.conf" \
		< /dev/null > "$S/log/smbd.out" 2>&1 &
	echo $! > "$RUN/smbd.pid"
	return 0
}

# Wait until the web page answers and the share takes a login.
wait_ready() {
	i=0
	until smbclient -N -p 445 //127.0.0.1/share -c 'ls' > /dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 600 ] && { echo "servers: smbd does not answer (see $S/log)" >&2; return 1; }
		sleep 0.2
	done
	return 0
}

case "$cmd" in
start) start && wait_ready ;;
stop) stop ;;
prepare) prepare ;;
wait) wait_ready ;;
*) echo "usage: servers.sh start|stop|wait STATE" >&2; exit 2 ;;
esac
