#!/bin/sh
# vmnetrank compare on runs built here with known answers: per group one
# repetition = one operation, its duration chosen by hand, so that the
# ratio NEW/BASE is exact by construction:
#   slow   every new repetition 1.10 times its base one  -> slower
#   fast   0.90 times                                   -> faster
#   steady the same values, CV 0.01%                   -> same
#   few    2 + 2 repetitions, 20% apart, noisy          -> inconclusive
#   gone   only in base; added: only in new             -> listed
#   sh tests/compare.sh VMNETRANK
set -u
V=$1
T=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT INT TERM
pass=0 fail=0
check() { name=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL compare: $name"; fi; }
# log DIR CONFIG REP DURATION_US BUILD
log() {
	d=$1/build=$5/vm=$2/direction=internal/workload=web
	mkdir -p "$d"
	printf 'rep,seq,start_us,end_us,status\n1,1,1796000000000000,%s,ok\n' \
		$((1796000000000000 + $4)) > "$d/rep$3.csv"
}
base="100000 102000 98000 101000 99000 100000"
i=0
for v in $base; do
	i=$((i + 1))
	log "$T/base" slow $i $v old
	log "$T/new" slow $i $((v * 11 / 10)) new
	log "$T/base" fast $i $v old
	log "$T/new" fast $i $((v * 9 / 10)) new
done
i=0
for v in 1000000 1000200 999800 1000100 999900 1000000; do
	i=$((i + 1))
	log "$T/base" steady $i $v old
	log "$T/new" steady $i $v new
done
log "$T/base" few 1 100000 old
log "$T/base" few 2 140000 old
log "$T/new" few 1 110000 new
log "$T/new" few 2 170000 new
log "$T/base" gone 1 100000 old
log "$T/new" added 1 100000 new
opts="--format csv"
for s in base new; do
	"$V" run -o "$T/$s.run" --bootstrap 0 $opts "$T/$s" > /dev/null 2>&1
done
check "both runs made" test -s "$T/base.run/reps.csv" -a -s "$T/new.run/reps.csv"
"$V" compare --match-ignore build "$T/base.run" "$T/new.run" > "$T/out.txt" 2> "$T/err.txt"
check "compare exits 0" test $? = 0
"$V" compare --match-ignore build --csv "$T/base.run" "$T/new.run" > "$T/out.csv" 2> "$T/err.csv"
# group|ratio|verdict|n_base|n_new
row() { awk -F, -v g="vm=$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["group"] == g { printf "%.6f|%s|%s|%s\n", $h["ratio"], $h["verdict"], $h["n_base"], $h["n_new"] }' "$1"; }
check "slow: ratio 1.1 exactly, slower" test "$(row "$T/out.csv" slow)" = "1.100000|slower|6|6"
check "fast: ratio 0.9 exactly, faster" test "$(row "$T/out.csv" fast)" = "0.900000|faster|6|6"
check "steady: ratio 1, same" test "$(row "$T/out.csv" steady)" = "1.000000|same|6|6"
check "few: inconclusive" test "$(row "$T/out.csv" few | cut -d'|' -f2-)" = "inconclusive|2|2"
# the interval of slow: Fieller's, around 1.1 and excluding 1
check "slow: the interval holds 1.1, not 1" awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["group"] == "vm=slow" { exit !($h["ratio_ci_lo"] > 1.01 && $h["ratio_ci_lo"] < 1.1 && $h["ratio_ci_hi"] > 1.1) }' "$T/out.csv"
check "the table lists the group only in base and the one only in new" \
	test "$(grep -c '^only in base: web internal vm=gone$\|^only in new: web internal vm=added$' "$T/out.txt")" = 2
check "the table names the verdicts" \
	test "$(awk '/vm=(slow|fast|steady|few) / { for (i = 1; i <= NF; i++) if ($i ~ /^(slower|faster|same|inconclusive)$/) print $i }' "$T/out.txt" | sort | tr '\n' ' ')" = "faster inconclusive same slower "
check "geomean of the ratios (1.1, 0.9, 1, and few's)" grep -q '^geomean ' "$T/out.txt"
"$V" compare --match-ignore build --fail-on-slower 5 "$T/base.run" "$T/new.run" > /dev/null 2>&1
check "--fail-on-slower 5: exit 3 (slow is proven more than 5% slower)" test $? = 3
"$V" compare --match-ignore build --fail-on-slower 20 "$T/base.run" "$T/new.run" > /dev/null 2>&1
check "--fail-on-slower 20: exit 0 (not proven more than 20% slower)" test $? = 0
"$V" compare "$T/base.run" "$T/new.run" > "$T/nomatch.txt" 2> "$T/nomatch.err"
check "without --match-ignore build nothing matches, and it says why" \
	grep -q 'no group of .* matches one of .*--match-ignore' "$T/nomatch.err"
"$V" compare --match-ignore build --csv "$T/base" "$T/new.run" > "$T/raw.csv" 2> /dev/null
check "raw logs as BASE, ingested on the fly: the same verdicts" \
	test "$(cut -d, -f3,9,16 "$T/raw.csv")" = "$(cut -d, -f3,9,16 "$T/out.csv")"
# the terminal: run -q prints the report's path alone; rank -q nothing
"$V" run -q -o "$T/q.run" --bootstrap 0 $opts "$T/new" > "$T/q.out" 2> /dev/null
check "run -q prints only the report's path" test "$(cat "$T/q.out")" = "$T/q.run/report.xhtml"
"$V" rank -q --bootstrap 0 "$T/q.run" > "$T/rq.out" 2> /dev/null
check "rank -q prints nothing" test $? = 0 -a ! -s "$T/rq.out"
"$V" rank --bootstrap 0 "$T/q.run" > "$T/r.out" 2> /dev/null
check "rank without -q says the verdict of the cell" grep -q '^web, internal (wall time, lower is better): ' "$T/r.out"
"$V" compare "$T/base.run" > /dev/null 2> "$T/usage.err"
check "one operand: usage error, exit 2" test $? = 2
"$V" compare "$T/nothing" "$T/new.run" > /dev/null 2> "$T/bad.err"
check "a missing input: exit 1, names it" test $? = 1 -a -n "$(grep nothing "$T/bad.err")"
echo "compare: $pass passed, $fail failed"
[ "$fail" = 0 ]
