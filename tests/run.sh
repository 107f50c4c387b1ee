#!/bin/sh
# Runs every test against the binaries in BUILD (build/ or build-san/).
# Prints one closing line "N passed, N failed".
B=${1:-build}
total_pass=0 total_fail=0
run() {
	out=$("$@" 2>&1)
	status=$?
	printf '%s\n' "$out" | grep -v '^unit: \|^unit_stats: \|^golden: \|^e2e: \|^collect: \|^measured: \|^validate: \|^robust: \|^fuzz: \|^runners: \|^compare: \|^measure: \|^manpages: ' | head -60
	line=$(printf '%s\n' "$out" | grep -E '^(unit|unit_stats|golden|e2e|collect|measured|validate|robust|fuzz|runners|compare|measure|manpages): [0-9]+ passed, [0-9]+ failed$' | tail -1)
	echo "$line"
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	[ -n "$p" ] || { p=0; f=1; echo "FAIL: $* printed no result line (status $status)"; }
	[ "$status" = 0 ] || [ "$f" != 0 ] || f=1
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}
run "$B/tests/unit"
run "$B/tests/unit_stats"
run sh tests/golden.sh "$B/vmnetrank"
run sh tests/e2e.sh "$B/vmnetrank" "$B/tests/genmatrix" "$B/tests/mutate"
run sh tests/measured.sh "$B/vmnetrank" "$B/vmnetrank-collect"
run sh tests/robust.sh "$B/vmnetrank" "$B/vmnetrank-collect"
run sh tests/runners.sh "$B/vmnetrank"
run sh tests/compare.sh "$B/vmnetrank"
run sh tests/measure.sh "$B/vmnetrank" "$B/vmnetrank-collect"
run python3 tests/manpages.py "$B/vmnetrank" "$B/vmnetrank-collect"
run sh tests/fuzz/replay.sh "$B" ingest samples rank weights describe template sources plan
# make validate at reduced size: 200 datasets at 3 and 10 repetitions
run sh tests/validate.sh "$B/vmnetrank" "$B/tests/simulate" 200 "3 10" "0 0.20 detectable" --check
run sh tests/collect.sh "$B/vmnetrank-collect" "$B/vmnetrank" "$B/tests/fakehttp" \
	"$B/vmnetrank-collect-static"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
