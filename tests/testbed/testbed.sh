#!/bin/sh
# The paper's experiment on this machine, for real (README "The real
# testbed").  Network namespaces: vmhost (the host OS, bridge br0,
# 10.90.0.1), ext (the LAN machine, 10.90.0.2, on br0 through a veth pair
# shaped to 100 Mbit/s by tc tbf) and the guest:
#   default: a namespace `guest` running the servers; TAP = bridged onto
#            br0 as 10.90.0.10; NAT = behind iptables MASQUERADE on
#            10.91.0.0/24, with DNAT port forwards 10.90.0.1:8080 -> 80
#            and :4445 -> 445 (from ext via PREROUTING, from vmhost via
#            OUTPUT);
#   --vm:    a QEMU virtual machine (TCG: software emulation) booting
#            Debian's kernel with a busybox initramfs, the host's root over
#            9p under a tmpfs overlay; NAT = QEMU user-mode networking
#            (restrict=on, net 10.92.0.0/24, hostfwd on 10.90.0.1:8080 and
#            :4445); TAP = tap0 on br0, the guest 10.90.0.10; its memory
#            size is a factor (VM_MEMS).
# vmnetrank-collect runs every workload from vmhost (internal) and from
# ext (external); the logs land in OUT/logs/vm=/netmode=/mem_mb=/
# direction=/workload=/, then `vmnetrank run` writes OUT/report/.
# Everything started here is stopped here (pid files, and a trap).
#   sh tests/testbed/testbed.sh [--vm] [--reduced] OUT
set -u
VM=0
SIZE=full
while [ $# -gt 1 ]; do
	case "$1" in
	--vm) VM=1 ;;
	--reduced) SIZE=reduced ;;
	*) echo "usage: testbed.sh [--vm] [--reduced] OUT" >&2; exit 2 ;;
	esac
	shift
done
[ $# = 1 ] || { echo "usage: testbed.sh [--vm] [--reduced] OUT" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
C=${COLLECT:-$ROOT/vmnetrank-collect}
V=${VMNETRANK:-$ROOT/vmnetrank}

# ---- sizes: every count a variable; defaults for minutes, not hours ----
if [ $SIZE = reduced ]; then
	: "${WEB_OPS:=100}" "${WEB_REPS:=3}" "${F1K_FILES:=200}" "${F1K_REPS:=3}"
	: "${BIG_MB:=4}" "${BIG_REPS:=3}" "${VM_MEMS:=512}"
elif [ $VM = 1 ]; then
	: "${WEB_OPS:=200}" "${WEB_REPS:=5}" "${F1K_FILES:=300}" "${F1K_REPS:=5}"
	: "${BIG_MB:=20}" "${BIG_REPS:=5}" "${VM_MEMS:=512 1024}"
else
	: "${WEB_OPS:=500}" "${WEB_REPS:=10}" "${F1K_FILES:=1000}" "${F1K_REPS:=10}"
	: "${BIG_MB:=20}" "${BIG_REPS:=10}" "${VM_MEMS:=512}"
fi
: "${BOOT_TIMEOUT:=600}"

fail() { echo "testbed: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
for x in "$C" "$V"; do [ -x "$x" ] || fail "$x is missing (make all)"; done

mkdir -p "$1" || fail "cannot make $1"
OUT=$(cd "$1" && pwd)
W=$OUT/work
LOGS=$OUT/logs
rm -rf "$W" "$LOGS" "$OUT/report"
mkdir -p "$W" "$LOGS"
chmod 755 "$OUT" "$W"
# Apache's children run as www-data and read the page below $W
runuser -u www-data -- test -x "$W" 2> /dev/null ||
	fail "www-data (Apache's user) cannot reach $W: make every folder above it searchable (chmod o+x)"

# one testbed at a time: the namespace names are fixed
exec 9> /run/vmnetrank-testbed.lock
flock -n 9 || fail "another testbed is running (/run/vmnetrank-testbed.lock)"

NS="vmhost ext guest"
cleanup() {
	qpid=$(cat "$W/qemu.pid" 2>/dev/null)
	if [ -n "$qpid" ]; then
		kill "$qpid" 2>/dev/null
		sleep 0.5
		kill -9 "$qpid" 2>/dev/null
		rm -f "$W/qemu.pid"
	fi
	if ip netns list | grep -qw guest; then
		ip netns exec guest sh "$HERE/servers.sh" stop "$W/gstate" > /dev/null 2>&1
	fi
	for n in $NS; do
		ip netns del "$n" 2>/dev/null
	done
	return 0
}
trap 'cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cleanup # leftovers of a run that was killed hard

in_ns() { ns=$1; shift; ip netns exec "$ns" "$@"; }

# ---- the LAN: vmhost with br0, ext on it through a shaped veth pair ----
net_up() {
	ip netns add vmhost && ip netns add ext || fail "cannot make namespaces"
	ip -n vmhost link set lo up
	ip -n ext link set lo up
	ip -n vmhost link add br0 type bridge
	ip -n vmhost addr add 10.90.0.1/24 dev br0
	ip -n vmhost link set br0 up
	ip -n vmhost link add lan0 type veth peer name eth0 netns ext
	ip -n vmhost link set lan0 master br0 up
	ip -n ext addr add 10.90.0.2/24 dev eth0
	ip -n ext link set eth0 up
	# the LAN hop: 100 Mbit/s each way (netem is not in this kernel; tbf is)
	in_ns ext tc qdisc add dev eth0 root tbf rate 100mbit burst 64kb latency 20ms &&
		in_ns vmhost tc qdisc add dev lan0 root tbf rate 100mbit burst 64kb latency 20ms ||
		fail "tc tbf failed"
	in_ns vmhost sysctl -qw net.ipv4.ip_forward=1
}

# ---- the namespace guest ----
guest_link() { # TAP | NAT
	ip -n guest link del eth0 2>/dev/null
	ip -n vmhost link del g0 2>/dev/null
	in_ns vmhost iptables -t nat -F
	ip -n vmhost link add g0 type veth peer name eth0 netns guest
	if [ "$1" = TAP ]; then
		ip -n vmhost link set g0 master br0 up
		ip -n guest addr add 10.90.0.10/24 dev eth0
	else
		ip -n vmhost addr add 10.91.0.1/24 dev g0
		ip -n vmhost link set g0 up
		ip -n guest addr add 10.91.0.10/24 dev eth0
		for fw in 8080:80 4445:445; do
			in_ns vmhost iptables -t nat -A PREROUTING -d 10.90.0.1 -p tcp \
				--dport "${fw%%:*}" -j DNAT --to-destination "10.91.0.10:${fw##*:}"
			in_ns vmhost iptables -t nat -A OUTPUT -d 10.90.0.1 -p tcp \
				--dport "${fw%%:*}" -j DNAT --to-destination "10.91.0.10:${fw##*:}"
		done
		in_ns vmhost iptables -t nat -A POSTROUTING -o g0 -j MASQUERADE
	fi
	ip -n guest link set eth0 up
}

# ---- the QEMU guest ----
KV=$(ls /lib/modules 2>/dev/null | sort -V | tail -1)
KERNEL=/boot/vmlinuz-$KV
vm_boot() { # NAT|TAP MEM
	rm -f "$W/console.log"
	if [ "$1" = TAP ]; then
		ip -n vmhost link del tap0 2>/dev/null
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
		-append "console=ttyS0 quiet panic=-1 vmnr_ip=$ip vmnr_via=$via vmnr_state=$W/gstate vmnr_servers=$HERE/servers.sh vmnr_script=$HERE/guest-run.sh" \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		$net -device virtio-net-pci,netdev=n0 2> "$W/qemu.err" ||
		fail "qemu did not start: $(cat "$W/qemu.err")"
	t0=$(date +%s)
	until grep -q 'VMNR-READY' "$W/console.log" 2>/dev/null; do
		if grep -q 'VMNR-FAILED\|Kernel panic\|guest-init: .* failed' "$W/console.log" 2>/dev/null ||
			[ $(($(date +%s) - t0)) -gt "$BOOT_TIMEOUT" ] ||
			! kill -0 "$(cat "$W/qemu.pid" 2>/dev/null)" 2>/dev/null; then
			tail -30 "$W/console.log" >&2
			fail "the guest did not come up ($1, $2 MB; console in $W/console.log)"
		fi
		sleep 1
	done
	echo "testbed: guest up ($1, $2 MB) in $(($(date +%s) - t0)) s"
}
vm_stop() {
	pid=$(cat "$W/qemu.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	i=0
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$W/qemu.pid"
	ip -n vmhost link del tap0 2>/dev/null
	return 0
}

# ---- the workloads, from vmhost (internal) and ext (external) ----
FAILED=0
workloads() { # VM NETMODE MEM WEBURL SMBADDR SMBPORT
	vm=$1 nm=$2 mem=$3 url=$4 addr=$5 port=$6
	for ns in vmhost ext; do # reachable at all? fail fast, and say where
		in_ns $ns "$C" http --ops 1 --timeout 10000 --no-progress -o "$W/probe.log" --force "$url" 2> /dev/null ||
			fail "$url does not answer from $ns ($nm, $mem): $(grep '^1,' "$W/probe.log" | cut -d, -f6)"
	done
	for dir in internal external; do
		ns=vmhost
		[ $dir = external ] && ns=ext
		base=$LOGS/vm=$vm/netmode=$nm/mem_mb=$mem/direction=$dir
		lab="--label vm=$vm --label netmode=$nm --label mem_mb=$mem --direction $dir"
		# shellcheck disable=SC2086
		in_ns $ns "$C" http --connect-each --reps "$WEB_REPS" --ops "$WEB_OPS" \
			--warmup 10 --expect inserted --timeout 10000 --max-failures 5 \
			--no-progress $lab --workload web \
			-o "$base/workload=web/collect.log" "$url" || FAILED=$((FAILED + 1))
		for wl in file-1k file-big; do
			reps=$F1K_REPS payload=$W/p1k
			[ $wl = file-big ] && reps=$BIG_REPS payload=$W/pbig
			# shellcheck disable=SC2086
			in_ns $ns "$C" exec --reps "$reps" --ops 1 --warmup 1 --no-progress \
				--timeout 600000 --max-failures 2 \
				$lab --workload $wl -o "$base/workload=$wl/collect.log" -- \
				smbclient -N -p "$port" "//$addr/share" -c "prompt; lcd $payload; mput *" ||
				FAILED=$((FAILED + 1))
		done
		echo "testbed: $vm $nm ${mem} MB $dir: done"
	done
}

# payloads: F1K_FILES x 1 KiB, and 2 x BIG_MB MiB
mkdir -p "$W/p1k" "$W/pbig"
head -c $((F1K_FILES * 1024)) /dev/urandom | (cd "$W/p1k" && split -b 1024 -a 5 - f)
for i in 1 2; do head -c $((BIG_MB * 1048576)) /dev/urandom > "$W/pbig/big$i"; done

net_up
t_start=$(date +%s)
if [ $VM = 0 ]; then
	VMNAME=netns
	ip netns add guest && ip -n guest link set lo up
	in_ns guest sh "$HERE/servers.sh" start "$W/gstate" || fail "the guest's servers did not start (logs in $W/gstate/log)"
	for nm in TAP NAT; do
		guest_link $nm
		if [ $nm = TAP ]; then
			workloads $VMNAME TAP host http://10.90.0.10/index.php 10.90.0.10 445
		else
			workloads $VMNAME NAT host http://10.90.0.1:8080/index.php 10.90.0.1 4445
		fi
	done
else
	VMNAME=QEMU
	[ -f "$KERNEL" ] || fail "no kernel $KERNEL (install linux-image-amd64)"
	sh "$HERE/initramfs.sh" "$KV" "$W/initrd.img" || fail "initramfs"
	sh "$HERE/servers.sh" prepare "$W/gstate" || fail "cannot prepare the database"
	for nm in NAT TAP; do
		for mem in $VM_MEMS; do
			vm_boot $nm "$mem"
			if [ $nm = TAP ]; then
				workloads $VMNAME TAP "$mem" http://10.90.0.10/index.php 10.90.0.10 445
			else
				workloads $VMNAME NAT "$mem" http://10.90.0.1:8080/index.php 10.90.0.1 4445
			fi
			vm_stop
		done
	done
fi
elapsed=$(($(date +%s) - t_start))

# ---- the report ----
if [ $VM = 1 ]; then
	GUEST="a QEMU virtual machine ($(qemu-system-x86_64 --version | head -1 | sed 's/ (.*//'), software emulation (TCG, no KVM), booting Debian's kernel $KV with a busybox initramfs, the host's root read-only over 9p under a tmpfs overlay, memory $VM_MEMS MB (a factor). NAT = QEMU user-mode networking (restrict=on, 10.92.0.0/24, hostfwd 10.90.0.1:8080 -> 80 and :4445 -> 445); TAP = a tap device on br0 in vmhost, the guest 10.90.0.10"
	CAVEAT="Caveat: every guest instruction is emulated in software, so absolute times are inflated many times over what a hardware-assisted VM would show; the ratios between configurations and the rankings are what carry over."
else
	GUEST="a third namespace, guest (no virtualisation: this variant isolates the network path). TAP = the guest bridged onto br0 as 10.90.0.10; NAT = the guest on 10.91.0.0/24 behind iptables MASQUERADE in vmhost, with DNAT port forwards 10.90.0.1:8080 -> 80 and :4445 -> 445 (PREROUTING from ext, OUTPUT from vmhost)"
	CAVEAT="Caveat: no hypervisor is involved here; the differences are those of the network path (bridge vs NAT, the 100 Mbit/s LAN hop), and everything shares one 2-core machine."
fi
TITLE="vmnetrank: the real testbed ($( [ $VM = 1 ] && echo "QEMU virtual machine" || echo "network namespaces"))"
{
	echo "Real measurements, not generated: tests/testbed/testbed.sh$( [ $VM = 1 ] && echo " --vm")$( [ $SIZE = reduced ] && echo " --reduced") on $(hostname) (Linux $(uname -r), $(nproc) CPUs) on $(date -u +%Y-%m-%d), $elapsed s of runs. Network namespaces: vmhost plays the host OS (bridge br0, 10.90.0.1/24), ext plays the other machine on the LAN (10.90.0.2, joined to br0 by a veth pair shaped to 100 Mbit/s each way by tc tbf), none with a default route. The guest is $GUEST."
	echo "Servers in the guest: Samba (smbd, one writable guest share, NetBIOS off), Apache with mod_php and MariaDB (the page INSERTs one integer and answers with a 256-byte body). Workloads run by vmnetrank-collect from vmhost (internal) and ext (external): web = $WEB_REPS repetitions of $WEB_OPS requests, a new connection each; file-1k = $F1K_REPS repetitions of $F1K_FILES files of 1 KiB put by one smbclient session; file-big = $BIG_REPS repetitions of 2 files of $BIG_MB MiB; each after one warm-up repetition (web: 10 requests), which is left out."
	echo "$CAVEAT"
} > "$OUT/notes.txt"
echo "$TITLE" > "$OUT/title.txt"
sh "$HERE/report.sh" "$V" "$LOGS" "$OUT/notes.txt" "$TITLE" "$OUT/report" > "$W/run.out" 2> "$W/run.err"
st=$?
cat "$W/run.err" >&2
[ $st = 0 ] || fail "vmnetrank run failed"
echo "testbed: report: $OUT/report/report.xhtml"
[ $FAILED = 0 ] || fail "$FAILED workload runs had failed operations (see the logs)"
exit 0
