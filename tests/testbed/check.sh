#!/bin/sh
# The testbed as a test: runs testbed.sh [--vm] --reduced into a scratch
# folder and checks what came out against the counts it was given, the
# physics of the 100 Mbit/s shaper, the report, and that nothing it
# started is left behind.
#   sh tests/testbed/check.sh [--vm]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
V=${VMNETRANK:-$ROOT/vmnetrank}
VMFLAG=""
[ "${1:-}" = --vm ] && VMFLAG=--vm
T=$(mktemp -d)
chmod 755 "$T" # the guest's Apache (www-data) reads its page below it
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL testbed: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
rows() { echo $(($(wc -l < "$1") - 1)); }

# the reduced sizes, as testbed.sh sets them
export WEB_OPS=100 WEB_REPS=3 F1K_FILES=200 F1K_REPS=3 BIG_MB=4 BIG_REPS=3 VM_MEMS=512
sh "$HERE/testbed.sh" $VMFLAG --reduced "$T/tb" > "$T/out" 2>&1
st=$?
check "testbed.sh exits 0 (got $st)" test $st = 0
[ $st = 0 ] || tail -30 "$T/out"

if [ -n "$VMFLAG" ]; then VMN=QEMU MEM=512; else VMN=netns MEM=host; fi
for nm in TAP NAT; do
	for dir in internal external; do
		for wl in web file-1k file-big; do
			d=$T/tb/logs/vm=$VMN/netmode=$nm/mem_mb=$MEM/direction=$dir/workload=$wl
			log=$d/collect.log
			if [ ! -f "$log" ]; then
				bad "no log for $nm $dir $wl"
				continue
			fi
			"$V" ingest -o "$T/s.csv" "$log" 2> "$T/err"
			check "$nm $dir $wl: the log ingests" test $? = 0
			case $wl in
			web) want=$((WEB_REPS * WEB_OPS)) ;;
			file-1k) want=$F1K_REPS ;;
			file-big) want=$BIG_REPS ;;
			esac
			check "$nm $dir $wl: $want operations (warm-up left out)" test "$(rows "$T/s.csv")" = "$want"
			check "$nm $dir $wl: every operation ok" \
				test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") k = i; next } { print $k }' "$T/s.csv" | sort -u)" = ok
			check "$nm $dir $wl: labels from the folders and the header agree" \
				test "$(sed -n 2p "$T/s.csv" | cut -d, -f1-5)" = "$MEM,$nm,$VMN,$wl,$dir"
		done
		# the collector saw the 256-byte page every time (plus headers)
		d=$T/tb/logs/vm=$VMN/netmode=$nm/mem_mb=$MEM/direction=$dir/workload=web
		check "$nm $dir web: every body the page's (bytes > 256 and all equal)" \
			test "$(awk -F, '$1 >= 1 && /,ok,/ { print $5 }' "$d/collect.log" | sort -u | awk '$1 > 256' | wc -l)" = 1
	done
	# the LAN hop is 100 Mbit/s: 2 x BIG_MB MiB cannot cross it faster
	floor=$(awk -v mb="$BIG_MB" 'BEGIN { printf "%.0f", 2 * mb * 1048576 * 8 / 100e6 * 1e6 }')
	ext=$(awk -F, -v nm="$nm" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["netmode"] == nm && $h["workload"] == "file-big" && $h["direction"] == "external" && $h["metric"] == "wall" { printf "%.0f", $h["min"] }' \
		"$T/tb/report/summary.csv")
	check "$nm: external file-big ($ext us) no faster than 100 Mbit/s allows ($floor us)" \
		test "${ext:-0}" -ge "$floor"
	if [ -z "$VMFLAG" ]; then
		int=$(awk -F, -v nm="$nm" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
			$h["netmode"] == nm && $h["workload"] == "file-big" && $h["direction"] == "internal" && $h["metric"] == "wall" { printf "%.0f", $h["mean"] }' \
			"$T/tb/report/summary.csv")
		check "$nm: internal file-big ($int us) not shaped: faster than the LAN's floor" \
			test "${int:-999999999}" -lt "$floor"
	fi
done
R=$T/tb/report/report.xhtml
check "the report is there and valid XHTML" \
	xmllint --noout --dtdvalid /usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd "$R"
check "the report names the testbed and its namespaces" \
	sh -c "grep -q 'Real measurements, not generated' '$R' && grep -q 'vmhost plays the host OS' '$R' && grep -q 'ext plays the other machine' '$R'"
check "the report carries the caveat" grep -q 'Caveat:' "$R"
if [ -n "$VMFLAG" ]; then
	check "the report says software emulation" grep -q 'software emulation' "$R"
fi
check "12 groups in summary.csv, none with failed operations" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["metric"] == "wall" && $h["failed_ops"] == 0' "$T/tb/report/summary.csv" | wc -l)" = 12
# (functions, not sh -c: a shell's own command line would match)
no_ns() { ! ip netns list | grep -Eqw 'vmhost|ext|guest'; }
no_proc() { ! pgrep -f "$T/tb" > /dev/null; }
check "no namespace left behind" no_ns
check "no process of the testbed left behind" no_proc
echo "testbed: $pass passed, $fail failed"
[ $fail = 0 ]
