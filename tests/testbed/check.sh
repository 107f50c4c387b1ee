#!/bin/sh
# The testbed as a test: runs testbed.sh [--vm] --reduced (its plan
# through vmnetrank measure) into a scratch folder and checks what came
# out against the counts it was given, the RMIT schedule, the physics of
# the 100 Mbit/s shaper, the report, and that nothing it started is left
# behind.
#   sh tests/testbed/check.sh [--vm]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
V=${VMNETRANK:-$ROOT/vmnetrank}
VMFLAG=""
[ "${1:-}" = --vm ] && VMFLAG=--vm
T=$(mktemp -d)
chmod 755 "$T" # the guest's Apache (www-data) reads its page below it
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL testbed: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
rows() { echo $(($(wc -l < "$1") - 1)); }

# the reduced sizes, as testbed.sh sets them
export WEB_OPS=100 F1K_FILES=200 BIG_MB=4 ROUNDS=3 VM_MEMS=512
sh "$HERE/testbed.sh" $VMFLAG --reduced "$T/tb" > "$T/out" 2>&1
st=$?
check "testbed.sh exits 0 (got $st)" test $st = 0
[ $st = 0 ] || tail -30 "$T/out"

if [ -n "$VMFLAG" ]; then VMN=QEMU MEM=512; else VMN=netns MEM=host; fi
for nm in TAP NAT; do
	for dir in internal external; do
		for wl in web file-1k file-big; do
			d=$T/tb/logs/vm=$VMN/netmode=$nm/mem_mb=$MEM/direction=$dir/workload=$wl
			check "$nm $dir $wl: one log a round ($ROUNDS)" \
				test "$(ls "$d" 2> /dev/null | tr '\n' ' ')" = "$(seq -f 'round-%g.log' "$ROUNDS" | tr '\n' ' ')"
			if [ ! -d "$d" ]; then
				bad "no logs for $nm $dir $wl"
				continue
			fi
			"$V" ingest -o "$T/s.csv" "$d" 2> "$T/err"
			check "$nm $dir $wl: the logs ingest" test $? = 0
			case $wl in
			web) want=$((ROUNDS * WEB_OPS)) ;;
			*) want=$ROUNDS ;;
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
			test "$(cat "$d"/round-*.log | awk -F, '$1 >= 1 && /,ok,/ { print $5 }' | sort -u | awk '$1 > 256' | wc -l)" = 1
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
# RMIT: each round every configuration once; the plan's hash in every log
S=$T/tb/schedule.txt
check "the schedule: $ROUNDS rounds x 2 configurations x 6 trials" \
	test "$(grep -c '^ *[0-9]*  round' "$S")" = $((ROUNDS * 12))
check "the schedule: each round's 12 trials hold both netmodes, 6 each" \
	test "$(sed 's/\[setup\] //' "$S" | awk '/  round / { print $3, $5 }' | sort | uniq -c | awk '{ print $1 }' | sort -u)" = 6
sha=$({ cat "$T/tb/plan.ini"; for kv in rounds=$ROUNDS web_ops=$WEB_OPS f1k_files=$F1K_FILES big_mb=$BIG_MB; do printf '\n#set %s' "$kv"; done
	[ -n "$VMFLAG" ] && printf '\n#set mem_mb.levels=%s' "$VM_MEMS"; } | sha256sum | cut -c1-64)
check "every log carries the plan's SHA-256 (with its --set, by sha256sum)" \
	test "$(grep -rh '^# meta.plan_sha256=' "$T/tb/logs" | sort | uniq -c | awk '{ print $1, $2, $3 }')" = "$((ROUNDS * 12)) # meta.plan_sha256=$sha"
check "the testbed's plan is the committed one" cmp -s "$T/tb/plan.ini" "$HERE/$( [ -n "$VMFLAG" ] && echo qemu || echo netns).plan"
R=$T/tb/report/report.xhtml
check "the report is there and valid XHTML" \
	xmllint --noout --dtdvalid /usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd "$R"
check "the report names the testbed and its namespaces" \
	sh -c "grep -q 'Real measurements, not generated' '$R' && grep -q 'vmhost plays the host OS' '$R' && grep -q 'ext plays the other machine' '$R'"
check "the report carries the caveat" grep -q 'Caveat:' "$R"
check "the report says the data were taken in RMIT order" \
	grep -q 'How the data were taken: by vmnetrank measure in randomized interleaved order (RMIT)' "$R"
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
