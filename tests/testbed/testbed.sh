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
#   --full:  the matrix (matrix.plan): User-mode Linux (when it runs on
#            this CPU), QEMU, gVisor (runsc in the namespace gvisor, its
#            own TCP/IP stack on the links; NAT and TAP as the namespace
#            guest's) and the namespace guest.
# This script makes the topology and the servers; the experiment itself
# is a plan, netns.plan or qemu.plan, copied to OUT/plan.ini and run by
# `vmnetrank measure` in RMIT order (its setups, ctl.sh, switch the
# guest's link or boot the VM); vmnetrank-collect runs every workload
# from vmhost (internal) and from ext (external); the logs land in
# OUT/logs/vm=/netmode=/mem_mb=/direction=/workload=/round-R.log, then
# `vmnetrank run` writes OUT/report/.  Everything started here is
# stopped here (pid files, and a trap).  Run again on the same OUT, it
# resumes the plan (--fresh: start over).
#   sh tests/testbed/testbed.sh [--vm] [--reduced] [--fresh] OUT
set -u
VM=0
SIZE=full
FRESH=""
usage="usage: testbed.sh [--vm | --full] [--reduced] [--fresh] OUT"
while [ $# -gt 1 ]; do
	case "$1" in
	--vm) VM=1 ;;
	--full) VM=2 ;;
	--reduced) SIZE=reduced ;;
	--fresh) FRESH=--fresh ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
	shift
done
[ $# = 1 ] || { echo "$usage" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
C=${COLLECT:-$ROOT/vmnetrank-collect}
V=${VMNETRANK:-$ROOT/vmnetrank}
PLAN=$HERE/netns.plan
[ $VM = 1 ] && PLAN=$HERE/qemu.plan
[ $VM = 2 ] && PLAN=$HERE/matrix.plan

# ---- sizes: the plan's own unless set here (each a --set of measure) ----
if [ $SIZE = reduced ]; then
	: "${WEB_OPS:=100}" "${F1K_FILES:=200}" "${BIG_MB:=4}" "${ROUNDS:=3}" "${VM_MEMS:=512}"
fi
SETS=""
[ -n "${ROUNDS:-}" ] && SETS="$SETS --set rounds=$ROUNDS"
[ -n "${WEB_OPS:-}" ] && SETS="$SETS --set web_ops=$WEB_OPS"
[ -n "${F1K_FILES:-}" ] && SETS="$SETS --set f1k_files=$F1K_FILES"
[ -n "${BIG_MB:-}" ] && SETS="$SETS --set big_mb=$BIG_MB"
[ $VM = 1 ] && [ -n "${VM_MEMS:-}" ] && SETS="$SETS --set mem_mb.levels=$(echo $VM_MEMS | tr ' ' ,)"
[ $VM = 2 ] && [ -n "${TECHS:-}" ] && SETS="$SETS --set vm.levels=$(echo $TECHS | tr ' ' ,)"

export TB=$HERE
. "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
for x in "$C" "$V"; do [ -x "$x" ] || fail "$x is missing (make all)"; done

mkdir -p "$1" || fail "cannot make $1"
OUT=$(cd "$1" && pwd)
W=$OUT/work
LOGS=$OUT/logs
export TB_WORK=$W
rm -rf "$W" "$OUT/report"
[ -n "$FRESH" ] && rm -rf "$LOGS"
mkdir -p "$W/bin"
# the plan says vmnetrank-collect: this one
ln -sf "$C" "$W/bin/vmnetrank-collect"
export PATH="$W/bin:$PATH"
chmod 755 "$OUT" "$W"
# Apache's children run as www-data and read the page below $W
runuser -u www-data -- test -x "$W" 2> /dev/null ||
	fail "www-data (Apache's user) cannot reach $W: make every folder above it searchable (chmod o+x)"

# one testbed at a time: the namespace names are fixed
exec 9> /run/vmnetrank-testbed.lock
flock -n 9 || fail "another testbed is running (/run/vmnetrank-testbed.lock)"

NS="vmhost ext guest gvisor"
cleanup() {
	[ -d "$W" ] && all_down
	if ip netns list | grep -qw guest; then
		ip netns exec guest sh "$HERE/servers.sh" stop "$W/gstate-ns" > /dev/null 2>&1
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

net_up
if [ $VM != 1 ]; then # the namespace guest: its servers run throughout
	ip netns add guest && ip -n guest link set lo up
	in_ns guest sh "$HERE/servers.sh" start "$W/gstate-ns" || fail "the guest's servers did not start (logs in $W/gstate-ns/log)"
fi
if [ $VM != 0 ]; then # the virtual machines' root and database
	[ -f "$KERNEL" ] || fail "no kernel $KERNEL (install linux-image-amd64)"
	sh "$HERE/initramfs.sh" "$KV" "$W/initrd.img" || fail "initramfs"
	sh "$HERE/servers.sh" prepare "$W/gstate" || fail "cannot prepare the database"
fi

# User-mode Linux may not run on this CPU: say so, and measure the others
UML_NOTE=""
if [ $VM = 2 ] && case " ${TECHS:-UML} " in *" UML "*) true ;; *) false ;; esac; then
	if ! uml_works; then
		echo "testbed: User-mode Linux cannot run here: $UML_WHY; measuring the others" >&2
		UML_NOTE="User-mode Linux could not run on this host: $UML_WHY. Its rows are missing from this run, which measured the other technologies."
		SETS="$SETS --set vm.levels=$(echo "${TECHS:-QEMU gVisor netns}" | tr ' ' '\n' | grep -v '^UML$' | paste -sd, -)"
	fi
fi

# ---- the experiment: the plan, in RMIT order ----
cp "$PLAN" "$OUT/plan.ini" || fail "cannot copy $PLAN"
# shellcheck disable=SC2086
"$V" measure --dry-run $SETS "$OUT/plan.ini" > "$OUT/schedule.txt" || fail "the plan does not read"
t_start=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck disable=SC2086
"$V" measure $FRESH $SETS "$OUT/plan.ini"
mst=$?
[ $mst = 130 ] && exit 130
[ $mst -le 1 ] || fail "vmnetrank measure failed (exit $mst)"
elapsed=$(($(date +%s) - t_start))
# the sizes the run had, as measure read them
var() { sed -n "s/^vars: .*\b$1=\([^ ]*\).*/\1/p" "$OUT/schedule.txt"; }
ROUNDS=$(sed -n '1s/.* x \([0-9]*\) rounds = .*/\1/p' "$OUT/schedule.txt")
WEB_OPS=$(var web_ops) F1K_FILES=$(var f1k_files) BIG_MB=$(var big_mb)
MEMS=$(sed -n 's/^ *[0-9]*  round .*mem_mb=\([^ ]*\) .*/\1/p' "$OUT/schedule.txt" | sort -nu | tr '\n' ' ' | sed 's/ $//; s/ / and /g')

# ---- the report ----
WARM="each after a warm-up (web: 10 requests; files: one put), which is left out"
if [ $VM = 2 ]; then
	GUEST="one of four technologies, a factor (vm; three kinds of virtualisation and a baseline without): UML = User-mode Linux ($(linux.uml --version 2>/dev/null | head -1 | sed 's/^/kernel /'); Debian's user-mode-linux: a Linux kernel running as a process of the host, the living analogue of the paper's coLinux), its root the host's over hostfs under a tmpfs overlay, NAT = vde_switch + slirpvde (user-space NAT, forwards 10.90.0.1:8080 -> 80 and :4445 -> 445), TAP = its tuntap transport on ptap0 bridged onto br0, the guest 10.90.0.10, memory 256 or 512 MB; QEMU = $(qemu-system-x86_64 --version | head -1 | sed 's/ (.*//') under software emulation (TCG, no KVM), Debian's kernel $KV with a busybox initramfs and the host's root over 9p under a tmpfs overlay, NAT = QEMU user-mode networking (hostfwd on 10.90.0.1:8080 and :4445), TAP = tap0 on br0, memory 512 or 1024 MB; gVisor = $(runsc --version 2>/dev/null | head -1) (Debian's runsc, ptrace platform: an application kernel in user space, the Sentry, that serves the guest's system calls itself, with its own TCP/IP stack, netstack, on the links of a namespace of its own; the host's root read-only under runsc's in-memory overlay; NAT and TAP as for the namespace guest; no memory factor, the sandbox uses the host's memory); netns = a third namespace with no virtualisation (the native baseline: the network path alone), TAP = bridged onto br0, NAT = behind iptables MASQUERADE with DNAT port forwards, memory: the host's. VirtualBox and coLinux cannot run on this machine (no usable KVM; coLinux needs a Windows host): UML stands in for the cooperative, paravirtualised kernel, and VirtualBox appears only in the synthetic paper-format logs of the demo. Every VM is booted once per round for its trials and stopped after them"
	CAVEAT="Caveat: QEMU emulates every guest instruction in software, UML runs its guest kernel as host processes and gVisor (ptrace platform) stops the guest at every system call to serve it, so absolute times are not those of hardware-assisted VMs; the ratios (NAT vs TAP within a technology, memory sizes) and the rankings are what carry over, and everything shares one 2-core machine."
	WARM="web after 10 warm-up requests, which are left out; the file workloads without a warm-up (each round boots the guest afresh, so every configuration's files go to an equally cold guest)"
elif [ $VM = 1 ]; then
	GUEST="a QEMU virtual machine ($(qemu-system-x86_64 --version | head -1 | sed 's/ (.*//'), software emulation (TCG, no KVM), booting Debian's kernel $KV with a busybox initramfs, the host's root read-only over 9p under a tmpfs overlay, memory $MEMS MB (a factor). NAT = QEMU user-mode networking (restrict=on, 10.92.0.0/24, hostfwd 10.90.0.1:8080 -> 80 and :4445 -> 445); TAP = a tap device on br0 in vmhost, the guest 10.90.0.10"
	CAVEAT="Caveat: every guest instruction is emulated in software, so absolute times are inflated many times over what a hardware-assisted VM would show; the ratios between configurations and the rankings are what carry over."
else
	GUEST="a third namespace, guest (no virtualisation: this variant isolates the network path). TAP = the guest bridged onto br0 as 10.90.0.10; NAT = the guest on 10.91.0.0/24 behind iptables MASQUERADE in vmhost, with DNAT port forwards 10.90.0.1:8080 -> 80 and :4445 -> 445 (PREROUTING from ext, OUTPUT from vmhost)"
	CAVEAT="Caveat: no hypervisor is involved here; the differences are those of the network path (bridge vs NAT, the 100 Mbit/s LAN hop), and everything shares one 2-core machine."
fi
case $VM in
0) TITLE="vmnetrank: the real testbed (network namespaces)" ;;
1) TITLE="vmnetrank: the real testbed (QEMU virtual machine)" ;;
*) TITLE="vmnetrank: the paper's matrix for real (User-mode Linux, QEMU, gVisor, a namespace; NAT vs TAP; two memory sizes)"
   [ -n "$UML_NOTE" ] && TITLE="vmnetrank: the paper's matrix for real (QEMU, gVisor and a namespace; User-mode Linux could not run here; NAT vs TAP; two memory sizes)" ;;
esac
{
	echo "Real measurements, not generated: tests/testbed/testbed.sh$( [ $VM = 1 ] && echo " --vm")$( [ $VM = 2 ] && echo " --full")$( [ $SIZE = reduced ] && echo " --reduced") on $(hostname) (Linux $(uname -r), $(nproc) CPUs) on $(date -u +%Y-%m-%d), $elapsed s of runs. Network namespaces: vmhost plays the host OS (bridge br0, 10.90.0.1/24), ext plays the other machine on the LAN (10.90.0.2, joined to br0 by a veth pair shaped to 100 Mbit/s each way by tc tbf), none with a default route. The guest is $GUEST."
	echo "Servers in the guest: Samba (smbd, one writable guest share, NetBIOS off), Apache with mod_php and MariaDB (the page INSERTs one integer and answers with a 256-byte body). Workloads run by vmnetrank-collect from vmhost (internal) and ext (external), by vmnetrank measure from the plan $(basename "$PLAN") in randomized interleaved order (RMIT: $ROUNDS rounds, in each every configuration once in a fresh random order, its setup switching the guest's link$( [ $VM != 0 ] && echo " or booting the VM"); one repetition of each workload and direction a round): web = $WEB_OPS requests, a new connection each; file-1k = $F1K_FILES files of 1 KiB put by one smbclient session; file-big = 2 files of $BIG_MB MiB; $WARM. Load average at the start and the end of the run: $LOAD0 and $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "$CAVEAT"
	[ -n "$UML_NOTE" ] && echo "$UML_NOTE"
} > "$OUT/notes.txt"
echo "$TITLE" > "$OUT/title.txt"
BY=netmode
[ $VM = 2 ] && BY=vm
sh "$HERE/report.sh" "$V" "$LOGS" "$OUT/notes.txt" "$TITLE" "$OUT/report" "$BY" > "$W/run.out" 2> "$W/run.err"
st=$?
cat "$W/run.err" >&2
[ $st = 0 ] || fail "vmnetrank run failed"
echo "testbed: report: $OUT/report/report.xhtml"
[ $mst = 0 ] || fail "some trials had failed operations or a failed setup (see the logs, and measure's warnings above)"
exit 0
