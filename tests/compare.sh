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
# at 3 + 3 repetitions no rank test can reach 0.05 (its smallest p is
# 0.1): a verdict there says it rests on normal times, as rank's does
for i in 1 2 3; do
	log "$T/b3" slow $i $((100000 + i * 1000)) old
	log "$T/n3" slow $i $(((100000 + i * 1000) * 11 / 10)) new
done
for s in b3 n3; do "$V" run -q -o "$T/$s.run" --bootstrap 0 $opts "$T/$s" > /dev/null 2>&1; done
"$V" compare --match-ignore build --csv "$T/b3.run" "$T/n3.run" > "$T/b3.csv" 2> /dev/null
check "3 + 3 repetitions: slower, and it says no rank test can reach 0.05" \
	test "$(row "$T/b3.csv" slow | cut -d'|' -f2-)" = "slower|3|3" -a -n "$(grep 'with 3 + 3 repetitions no rank test can reach p < 0.05: it rests on times close to normal' "$T/b3.csv")"
check "6 + 6 repetitions: no such caveat" test -z "$(grep 'vm=slow' "$T/out.csv" | grep 'no rank test')"
metric_with() { "$V" compare --match-ignore build --csv "$@" "$T/base.run" "$T/new.run" 2> /dev/null | sed -n 2p | cut -d, -f4; }
check "--metric as for rank: a workload's own wins over the global one, a later one over an earlier" \
	test "$(metric_with --metric web=busy --metric op-mean)|$(metric_with --metric web=busy --metric web=op-mean)|$(metric_with --metric busy --metric op-mean)" = "busy|op-mean|op-mean"
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
# ---- a second run into the same folder: changes.csv and previous/ ----
D=$T/again
"$V" run -q -o "$D" --bootstrap 0 $opts "$T/base" > /dev/null 2>&1
cp "$D/ranks.csv" "$T/ranks.first"
check "a first run: no changes.csv, no previous/" test ! -e "$D/changes.csv" -a ! -e "$D/previous"
cp -r "$T/base" "$T/more"
for i in 1 2 3 4 5 6; do log "$T/more" extra $i $((80000 + i * 100)) old; done
log "$T/more" slow 7 100000 old
log "$T/more" slow 8 100500 old
"$V" run -q -o "$D" --bootstrap 0 $opts "$T/more" > /dev/null 2> "$T/again.err"
check "the second run exits 0" test $? = 0
check "previous/ holds the first run's ranks.csv, byte for byte" cmp -s "$D/previous/ranks.csv" "$T/ranks.first"
kinds=$(awk -F, 'NR > 1 { print $1 }' "$D/changes.csv" | sort | uniq -c | awk '{ print $2 "=" $1 }' | tr '\n' ' ')
check "changes.csv: the new configuration" \
	test "$(awk -F, '$1 == "config-added" { print $4 "|" $6 }' "$D/changes.csv")" = "extra (old)|6"
check "changes.csv: slow's two more repetitions" \
	test "$(awk -F, '$1 == "reps" { print $4 "|" $5 "|" $6 }' "$D/changes.csv")" = "slow (old)|6|8"
check "changes.csv: nothing removed, no cell added ($kinds)" \
	test -z "$(awk -F, '$1 ~ /removed|cell-added/' "$D/changes.csv")"
# every rank row says what the two ranks.csv say, and every configuration
# of both whose interval differs has a row (recomputed here by awk)
want=$(awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["view"] == $h["direction"] { r = $h["rank_lo"] "-" $h["rank_hi"]
		if (FILENAME ~ /previous/) b[$h["name"]] = r; else a[$h["name"]] = r }
	END { for (n in a) if (n in b && a[n] != b[n]) print n "|" b[n] "|" a[n] }' \
	"$D/previous/ranks.csv" "$D/ranks.csv" | sort)
got=$(awk -F, '$1 == "rank" { print $4 "|" $5 "|" $6 }' "$D/changes.csv" | sort)
check "changes.csv: the rank intervals that moved are those the two ranks.csv show" test "$got" = "$want"
# the fastest sets, recomputed: eligible, rank interval from 1
fastest() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["view"] == $h["direction"] && $h["eligible"] == "yes" && $h["rank_lo"] == 1 { s = s (s ? " | " : "") $h["name"] }
	END { print s }' "$1"; }
check "changes.csv: the fastest set before and after, as the two ranks.csv have them" \
	test "$(awk -F, '$1 == "fastest" { print $5 "#" $6 }' "$D/changes.csv")" = "$(fastest "$D/previous/ranks.csv")#$(fastest "$D/ranks.csv")"
check "... and the new, fastest configuration is in it" \
	grep -q '^fastest,web,internal,,[^,]*,extra (old) | ' "$D/changes.csv"
check "the report says it under 'Since the last run'" \
	grep -q '<h3>Since the last run</h3>' "$D/report.xhtml"
check "the report names the new configuration" grep -q 'new configuration extra (old) (6 repetitions)' "$D/report.xhtml"
check "the report with changes is valid XHTML" xmllint --noout --valid "$D/report.xhtml"
"$V" run -q -o "$D" --bootstrap 0 $opts "$T/more" > /dev/null 2>&1
check "a third run of the same logs: changes.csv has no row" test "$(wc -l < "$D/changes.csv")" = 1
check "and the report says nothing changed" grep -q 'Nothing changed' "$D/report.xhtml"
cp "$D/previous/ranks.csv" "$T/ranks.prev"
"$V" run -q -o "$D" --bootstrap 0 --no-keep-previous $opts "$T/base" > /dev/null 2>&1
check "--no-keep-previous leaves previous/ as it was" cmp -s "$D/previous/ranks.csv" "$T/ranks.prev"
check "... and the run still says what changed (extra is gone)" \
	test "$(awk -F, '$1 == "config-removed" { print $4 }' "$D/changes.csv")" = "extra (old)"
check "no hidden folder is left behind" test -z "$(ls -a "$D" | grep '^\.vmnetrank-\(prev\|stage\)')"

# ---- run --baseline: baseline.csv, the report's section, the forest plot ----
"$V" run -q -o "$T/bl" --bootstrap 0 --baseline "$T/base.run" --match-ignore build $opts "$T/new" > /dev/null 2> "$T/bl.err"
check "run --baseline exits 0" test $? = 0
check "baseline.csv is compare's table, row for row" \
	test "$(cut -d, -f1-16 "$T/bl/baseline.csv")" = "$(cut -d, -f1-16 "$T/out.csv")"
check "the report has the section, and says 1 slower, 1 faster" \
	grep -q '4 groups matched with the baseline run .*: 1 slower, 1 faster, 1 the same within the margin, 1 inconclusive' "$T/bl/report.xhtml"
check "the report with a baseline is valid XHTML" xmllint --noout --valid "$T/bl/report.xhtml"
"$V" report --dump-layout "$T/bl" > "$T/bl.layout" 2> /dev/null
# each forest row's ends are baseline.csv's interval, and sit on the axis
# where its range and the plot's width put them
bad=$(awk -F, 'NR == FNR { if (FNR > 1) { lo[$3] = $10; hi[$3] = $11 }; next }
	{ nf = split($0, f, " ") }
	/kind=forest/ { on = 1; next } /^chart / { on = 0 }
	on && f[1] == "plot" { split(f[2], a, "="); px = a[2]; split(f[4], b, "="); pw = b[2] }
	on && f[1] == "xaxis" { split(f[2], a, "="); mn = a[2]; split(f[3], b, "="); mx = b[2] }
	on && f[1] == "row" { n++; name = $0; sub(/^[^"]*"[^ ]* [^ ]* /, "", name); sub(/"$/, "", name)
		split(f[3], l, "="); split(f[4], h, "="); split(f[6], xl, "=")
		if (!(name in lo) || l[2] + 0 != lo[name] + 0 || h[2] + 0 != hi[name] + 0) bad++
		v = l[2] < mn ? mn : l[2] > mx ? mx : l[2]; want = px + (v - mn) / (mx - mn) * pw
		if (xl[2] - want > 0.06 || want - xl[2] > 0.06) bad++ }
	END { print n "|" bad + 0 }' "$T/bl/baseline.csv" "$T/bl.layout")
check "the forest plot: 4 rows, their ends where baseline.csv says ($bad)" test "$bad" = "4|0"
"$V" run -q -o "$T/bl" --bootstrap 0 $opts "$T/new" > /dev/null 2>&1
check "a later run without --baseline drops baseline.csv and the section" \
	test ! -e "$T/bl/baseline.csv" -a -z "$(grep 'Against the baseline' "$T/bl/report.xhtml")"

# a tied set's line ends with the best one's margin over the first the
# tie leaves out: pairs.csv's ratio and interval (the real QEMU run)
"$V" run -o "$T/qemu" --bootstrap 0 "$(dirname "$0")/../fixtures/real/qemu/logs" > "$T/qemu.out" 2> /dev/null
line=$(grep '^file-big, internal' "$T/qemu.out")
best=$(gawk -v FPAT='([^,]*)|("[^"]*")' 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$1 == "internal" && $2 == "file-big" && $h["rank"] == 1 { gsub(/"/, "", $h["name"]); print $h["name"] }' "$T/qemu/ranks.csv")
next=$(echo "$line" | sed -n 's/.* faster than the next outside the tie, \(.*\)$/\1/p')
said=$(echo "$line" | sed -n 's/.*; \([0-9.]*\)x \[\([0-9.]*\), \([0-9.]*\)\] faster than the next outside.*/\1 \2 \3/p')
want=$(gawk -v FPAT='([^,]*)|("[^"]*")' -v b="$best" -v n="$next" 'NR > 1 && $1 == "internal" && $2 == "file-big" {
	for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
	if ($4 == b && $5 == n) { r = 1 / $10; lo = 1 / $12; hi = 1 / $11 }
	if ($5 == b && $4 == n) { r = $10; lo = $11; hi = $12 }
} END { printf "%.3g %.3g %.3g", r, lo, hi }' "$T/qemu/pairs.csv")
check "a tie's margin over the next outside it ($said) is pairs.csv's ($want)" test -n "$said" -a "$said" = "$want"

"$V" compare "$T/base.run" > /dev/null 2> "$T/usage.err"
check "one operand: usage error, exit 2" test $? = 2
"$V" compare "$T/nothing" "$T/new.run" > /dev/null 2> "$T/bad.err"
check "a missing input: exit 1, names it" test $? = 1 -a -n "$(grep nothing "$T/bad.err")"
echo "compare: $pass passed, $fail failed"
[ "$fail" = 0 ]
