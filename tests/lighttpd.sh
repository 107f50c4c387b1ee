# Sourced by the tests and benches that need a web server on loopback.
# lighttpd_start DIR DOCROOT [WRAPPER...]: start Debian's lighttpd serving
# DOCROOT on the first free port of a range (lighttpd cannot take port 0),
# its config, pid file and error log in DIR, run through WRAPPER if given
# (e.g. taskset -c 0); sets LIGHTTPD_PORT; 1 when it cannot start.
# lighttpd_stop DIR: stop it.
lighttpd_start() {
	_dir=$1 _root=$2
	shift 2
	_first=$((30000 + $$ % 20000))
	for _port in $(seq $_first $((_first + 40))); do
		cat > "$_dir/lighttpd.conf" <<CONF
server.document-root = "$_root"
server.bind = "127.0.0.1"
server.port = $_port
server.pid-file = "$_dir/lighttpd.pid"
server.errorlog = "$_dir/lighttpd.err"
server.max-keep-alive-requests = 1000000
server.max-keep-alive-idle = 60
CONF
		if "$@" /usr/sbin/lighttpd -f "$_dir/lighttpd.conf" 2> "$_dir/lighttpd.start"; then
			for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
				[ -s "$_dir/lighttpd.pid" ] && break
				sleep 0.1
			done
			LIGHTTPD_PORT=$_port
			return 0
		fi
	done
	return 1
}

lighttpd_stop() {
	kill "$(cat "$1/lighttpd.pid" 2>/dev/null)" 2>/dev/null
	rm -f "$1/lighttpd.pid"
}
