# The testbed's shared parts, sourced by testbed.sh (topology and servers)
# and by ctl.sh (the plan's setups and teardowns).  Needs TB (this folder)
# and TB_WORK (the run's scratch folder).  Guests: the namespace `guest`
# (guest_link), QEMU (vm_boot / vm_stop) and User-mode Linux (uml_boot /
# uml_stop); all_down leaves none of them on the LAN, so one can follow
# another in any order (they share the guest's addresses and ports).

fail() { echo "testbed: $*" >&2; exit 1; }
in_ns() { ns=$1; shift; ip netns exec "$ns" "$@"; }

# ---- the namespace guest's link: TAP (bridged) or NAT (behind iptables) ----
guest_link() { # TAP | NAT [NAMESPACE VETH]: the namespace guest, or gVisor's
	gns=${2:-guest} gv=${3:-g0}
	ip -n "$gns" link del eth0 2>/dev/null
	ip -n vmhost link del "$gv" 2>/dev/null
	in_ns vmhost iptables -t nat -F
	# a fixed MAC, and no neighbour entry left from the last link: the
	# plan switches links every round, and a stale ARP entry for the
	# guest's old MAC would black-hole the first seconds of the next
	ip -n vmhost link add "$gv" type veth peer name eth0 netns "$gns"
	ip -n "$gns" link set eth0 address 02:00:0a:5a:00:0a
	ip -n vmhost neigh flush all 2>/dev/null
	ip -n ext neigh flush all 2>/dev/null
	if [ "$1" = TAP ]; then
		ip -n vmhost link set "$gv" master br0 up
		ip -n "$gns" addr add 10.90.0.10/24 dev eth0
	else
		ip -n vmhost addr add 10.91.0.1/24 dev "$gv"
		ip -n vmhost link set "$gv" up
		ip -n "$gns" addr add 10.91.0.10/24 dev eth0
		for fw in 8080:80 4445:445; do
			in_ns vmhost iptables -t nat -A PREROUTING -d 10.90.0.1 -p tcp \
				--dport "${fw%%:*}" -j DNAT --to-destination "10.91.0.10:${fw##*:}"
			in_ns vmhost iptables -t nat -A OUTPUT -d 10.90.0.1 -p tcp \
				--dport "${fw%%:*}" -j DNAT --to-destination "10.91.0.10:${fw##*:}"
		done
		in_ns vmhost iptables -t nat -A POSTROUTING -o "$gv" -j MASQUERADE
	fi
	ip -n "$gns" link set eth0 up
}

# ---- what every VM's start and stop share ----
: "${BOOT_TIMEOUT:=600}"
# PID, asked to stop already: 5 s to go, then SIGKILL
reap() {
	[ -n "$1" ] || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	return 0
}
# Wait for VMNR-READY on $TB_WORK/console.log; on FAILURES (a grep
# pattern), BOOT_TIMEOUT or the process of PIDFILE gone: the console's
# tail, STOP, and fail.  WHAT names the guest in the messages.
await_guest() { # PIDFILE FAILURES STOP WHAT
	W=$TB_WORK
	t0=$(date +%s)
	until grep -q 'VMNR-READY' "$W/console.log" 2>/dev/null; do
		if grep -q "$2" "$W/console.log" 2>/dev/null ||
			[ $(($(date +%s) - t0)) -gt "$BOOT_TIMEOUT" ] ||
			! kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; then
			tail -30 "$W/console.log" >&2
			$3
			fail "the $4 did not come up (console in $W/console.log)"
		fi
		sleep 0.2
	done
	echo "testbed: $4 up in $(($(date +%s) - t0)) s" >&2
}

# ---- the QEMU guest ----
KV=$(ls /lib/modules 2>/dev/null | sort -V | tail -1)
KERNEL=/boot/vmlinuz-$KV
vm_stop() {
	pid=$(cat "$TB_WORK/qemu.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	reap "$pid"
	rm -f "$TB_WORK/qemu.pid"
	ip -n vmhost link del tap0 2>/dev/null
	return 0
}
vm_boot() { # NAT|TAP MEM
	W=$TB_WORK
	vm_stop
	rm -f "$W/console.log"
	if [ "$1" = TAP ]; then
		ip -n vmhost tuntap add dev tap0 mode tap
		ip -n vmhost link set tap0 master br0 up
		net="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no"
		ip=10.90.0.10/24
		via=""
	else
		net="-netdev user,id=n0,restrict=on,net=10.92.0.0/24,host=10.92.0.2,hostfwd=tcp:10.90.0.1:8080-:80,hostfwd=tcp:10.90.0.1:4445-:445"
		ip=10.92.0.15/24
		via=10.92.0.2
	fi
	# shellcheck disable=SC2086
	in_ns vmhost qemu-system-x86_64 -machine pc -cpu max -smp 1 -m "$2" \
		-display none -monitor none -serial "file:$W/console.log" \
		-no-reboot -pidfile "$W/qemu.pid" -daemonize \
		-kernel "$KERNEL" -initrd "$W/initrd.img" \
		-append "console=ttyS0 quiet panic=-1 vmnr_ip=$ip vmnr_via=$via vmnr_state=$W/gstate vmnr_servers=$TB/servers.sh vmnr_script=$TB/guest-run.sh" \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		$net -device virtio-net-pci,netdev=n0 2> "$W/qemu.err" ||
		{ vm_stop; fail "qemu did not start: $(cat "$W/qemu.err")"; }
	await_guest "$W/qemu.pid" 'VMNR-FAILED\|Kernel panic\|guest-init: .* failed' \
		vm_stop "guest ($1, $2 MB)"
}

# ---- the User-mode Linux guest: a Linux kernel as a process of the host
# (Debian's user-mode-linux), the analogue of coLinux; its root the
# host's over hostfs under a tmpfs overlay (uml-init.sh).  TAP = UML's
# tuntap transport on ptap0, bridged onto br0, the guest 10.90.0.10; NAT =
# a vde_switch with slirpvde on it (user-space NAT, as QEMU's user
# networking), forwarding 10.90.0.1:8080 -> 80 and :4445 -> 445 ----
UML_MAC=52:54:00:0a:5a:0b
# Can this host run a UML guest's user space at all?  Debian 12's UML
# (6.1) cannot on CPUs whose XSAVE area is larger than it expects (AMX:
# "ptrace set fp regs failed, errno = 14", and every process it starts,
# init first, dies of SIGSEGV).  0, or 1 with the reason in $UML_WHY.
uml_works() {
	W=$TB_WORK
	printf '#!/bin/busybox sh\necho VMNR-UML-OK\n/bin/busybox halt -f\n' > "$W/uml-try.sh" &&
		chmod 755 "$W/uml-try.sh" || return 1
	TMPDIR=/dev/shm timeout 60 linux.uml umid=vmnr-uml-try mem=64M root=/dev/root \
		rootfstype=hostfs rootflags=/ ro init="$W/uml-try.sh" con0=null,fd:1 con=null \
		< /dev/null > "$W/uml-try.log" 2>&1
	pkill -9 -f "linux.uml umid=vmnr-uml-try" 2>/dev/null
	rm -rf "$HOME/.uml/vmnr-uml-try"
	grep -q VMNR-UML-OK "$W/uml-try.log" && return 0
	UML_WHY=$(grep -m1 'ptrace set fp regs failed.*\|Kernel panic.*' "$W/uml-try.log")
	grep -q 'amx_tile' /proc/cpuinfo &&
		UML_WHY="$UML_WHY (this CPU has AMX: its XSAVE state is larger than UML 6.1 handles)"
	return 1
}
uml_stop() {
	W=$TB_WORK
	pid=$(cat "$W/uml.pid" 2>/dev/null)
	if [ -n "$pid" ]; then
		timeout 10 uml_mconsole vmnr-uml halt > /dev/null 2>&1
		reap "$pid"
	fi
	# UML's helper processes carry the umid on their command line
	pkill -9 -f "linux.uml umid=vmnr-uml" 2>/dev/null
	for f in slirp vde; do
		p=$(cat "$W/$f.pid" 2>/dev/null)
		[ -n "$p" ] && kill "$p" 2>/dev/null
		rm -f "$W/$f.pid"
	done
	rm -rf "$W/uml.pid" "$W/vde.ctl" "$HOME/.uml/vmnr-uml"
	ip -n vmhost link del ptap0 2>/dev/null
	return 0
}
uml_boot() { # NAT|TAP MEM
	W=$TB_WORK
	uml_stop
	rm -f "$W/console.log"
	mkdir -p "$W/uml-root/lower" "$W/uml-root/upper" "$W/uml-root/new"
	if [ "$1" = TAP ]; then
		ip -n vmhost tuntap add dev ptap0 mode tap &&
			ip -n vmhost link set ptap0 master br0 up || fail "cannot make ptap0"
		net="eth0=tuntap,ptap0"
		ip=10.90.0.10/24
		via=""
	else
		in_ns vmhost vde_switch -s "$W/vde.ctl" -d -p "$W/vde.pid" ||
			fail "vde_switch did not start"
		in_ns vmhost slirpvde -s "$W/vde.ctl" -d -p "$W/slirp.pid" -q \
			-L 8080:10.0.2.15:80 -L 4445:10.0.2.15:445 ||
			{ uml_stop; fail "slirpvde did not start"; }
		net="eth0=vde,$W/vde.ctl,$UML_MAC"
		ip=10.0.2.15/24
		via=10.0.2.2
	fi
	# UML maps its memory from TMPDIR: /dev/shm, not the disk
	TMPDIR=/dev/shm setsid ip netns exec vmhost linux.uml umid=vmnr-uml \
		mem="$2M" root=/dev/root rootfstype=hostfs rootflags=/ ro \
		init="$TB/uml-init.sh" con0=null,fd:1 con=null $net \
		vmnr_ip=$ip vmnr_via=$via vmnr_root="$W/uml-root" vmnr_state="$W/gstate" \
		vmnr_servers="$TB/servers.sh" vmnr_script="$TB/guest-run.sh" \
		< /dev/null > "$W/console.log" 2>&1 &
	echo $! > "$W/uml.pid"
	await_guest "$W/uml.pid" 'VMNR-FAILED\|UML-FAILED\|Kernel panic' \
		uml_stop "UML guest ($1, $2 MB)"
}

# ---- the gVisor guest (Debian's runsc): an application kernel in user
# space with its own TCP/IP stack (netstack) in the namespace `gvisor`,
# the host's root read-only under runsc's in-memory overlay; NAT and TAP
# as for the namespace guest (iptables DNAT, or a veth bridged onto br0),
# no memory factor ----
gv_stop() {
	W=$TB_WORK
	# runsc itself bounded too: a wedged sandbox must not hang the plan
	if [ -d "$W/gv-state" ]; then
		timeout -s KILL 20 runsc --root="$W/gv-state" kill vmnr-gv KILL > /dev/null 2>&1
		timeout -s KILL 20 runsc --root="$W/gv-state" delete --force vmnr-gv > /dev/null 2>&1
	fi
	pid=$(cat "$W/gv.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	reap "$pid"
	# whatever of the sandbox outlived its runsc (the gofer, the sentry)
	pkill -9 -f "runsc.*--root=$W/gv-state" 2>/dev/null
	rm -f "$W/gv.pid"
	ip -n vmhost link del g1 2>/dev/null
	return 0
}
gv_boot() { # NAT|TAP
	W=$TB_WORK
	gv_stop
	ip netns list | grep -qw gvisor || { ip netns add gvisor && ip -n gvisor link set lo up; } ||
		fail "cannot make the namespace gvisor"
	guest_link "$1" gvisor g1
	mkdir -p "$W/gv" "$W/gv-state"
	# the servers' state (the prepared database) from a folder of its own
	# that the host never writes while a sandbox runs, mounted at /mnt:
	# runsc's overlay caches what it has read of the host's files, and a
	# folder the host changes underneath (as it does $W: console.log, pid
	# files) then fails in the sandbox with EINVAL (smbd could not reach
	# its state: "smbd does not answer")
	[ -d "$W/gv-lower/gstate/db/mysql" ] || {
		rm -rf "$W/gv-lower" && mkdir -p "$W/gv-lower" &&
			cp -a "$W/gstate" "$W/gv-lower/gstate"
	} || fail "cannot copy the guest's state for gVisor"
	# the OCI bundle: the host's root, writable only through runsc's
	# --overlay (every write stays in the sandbox's memory: checked, the
	# host sees none; a read-only root would refuse the servers' state);
	# the servers' script as the process; the network namespace named by
	# its path (runsc's netstack takes over that namespace's links: with
	# no path, runsc makes an empty namespace, and smbd then stops with
	# "Could not determine network interfaces")
	cat > "$W/gv/config.json" <<JSON
{ "ociVersion": "1.0.0",
  "process": { "terminal": false, "user": { "uid": 0, "gid": 0 }, "cwd": "/",
    "args": [ "/bin/sh", "$TB/guest-run.sh" ],
    "env": [ "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "vmnr_state=/mnt/gstate", "vmnr_servers=$TB/servers.sh", "vmnr_netdone=1",
      "VMNR_NO_NATIVE_AIO=1" ],
    "capabilities": {
      "bounding": [ "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT" ],
      "effective": [ "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT" ],
      "permitted": [ "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT" ] } },
  "root": { "path": "/", "readonly": false },
  "hostname": "guest",
  "mounts": [ { "destination": "/proc", "type": "proc", "source": "proc" },
    { "destination": "/dev", "type": "tmpfs", "source": "tmpfs" },
    { "destination": "/run", "type": "tmpfs", "source": "tmpfs" },
    { "destination": "/mnt", "type": "bind", "source": "$W/gv-lower", "options": [ "rbind" ] } ],
  "linux": { "namespaces": [ { "type": "network", "path": "/run/netns/gvisor" }, { "type": "pid" }, { "type": "ipc" }, { "type": "uts" }, { "type": "mount" } ] } }
JSON
	rm -f "$W/console.log"
	setsid ip netns exec gvisor sh "$TB/gv-wrap.sh" "$W" --network=sandbox \
		--ignore-cgroups --overlay --root="$W/gv-state" run --bundle "$W/gv" vmnr-gv \
		< /dev/null > "$W/console.log" 2>&1 &
	echo $! > "$W/gv.pid"
	await_guest "$W/gv.pid" 'VMNR-FAILED' gv_stop "gVisor guest ($1)"
}

# ---- no guest on the LAN: before any guest comes up ----
guest_unlink() {
	ip -n guest link del eth0 2>/dev/null
	ip -n vmhost link del g0 2>/dev/null
	in_ns vmhost iptables -t nat -F 2>/dev/null
	return 0
}
all_down() {
	vm_stop
	uml_stop
	gv_stop
	guest_unlink
	ip -n vmhost neigh flush all 2>/dev/null
	ip -n ext neigh flush all 2>/dev/null
	return 0
}
