#!/bin/sh
# Regression tests of what fuzzing and fault injection found (issue 13):
# each case crashed, hung, lost data or said something false before its
# fix.  Expected values by hand.
#   sh tests/robust.sh VMNETRANK COLLECT
set -u
V=$1
C=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL robust: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
csv_awk='function csv(line, f,   n, i, c, q, cur) { n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) { c = substr(line, i, 1)
		if (c == "\"") q = !q; else if (c == "," && !q) { f[++n] = cur; cur = "" } else cur = cur c }
	f[++n] = cur; return n }'

# 1. zero times: A and C timed at 0 us in every repetition of w1, B in
#    w2 (valid data: 1-second stamps give such times).  rank read past an
#    array (the NaN overall score of a zero was never found by the rank
#    loop); now D and E are scored, A, B and C shown and not scored, and
#    every scope ranks each configuration exactly once
mkdir -p "$T/z"
"$V" stats -o "$T/z" fixtures/rank/zero-times/samples.csv > /dev/null &&
	"$V" rank -o "$T/z" "$T/z" > "$T/z.out" 2> "$T/z.err"
check "zero times: rank exits 0" test $? = 0
check "zero times: each scope ranks the 5 configurations 1 to 5, each once" \
	test "$(awk "$csv_awk"'NR > 1 { csv($0, f); r[f[1]] = r[f[1]] " " f[7] "" f[3] } END { for (s in r) print s ":" r[s] }' "$T/z/scores.csv" | sort | tr '\n' '|')" = \
	"overall: 1D 2E 3A 4B 5C|w1: 1D 2E 3A 4C 5B|w2: 1D 2E 3B 4A 5C|"
check "zero times: no score is 'nan' or 'inf'" test "$(grep -ci 'nan\|inf' "$T/z/scores.csv")" = 0
check "zero times: A, B and C say why they are not scored" \
	test "$(awk "$csv_awk"'NR == 1 { n = csv($0, f); for (i = 1; i <= n; i++) h[f[i]] = i } NR > 1 { csv($0, f); if (f[1] == "overall") print f[3] ":" f[h["why"]] }' "$T/z/scores.csv" | tr '\n' '|')" = \
	"D:|E:|A:a mean of 0 in w1|B:a mean of 0 in w2|C:a mean of 0 in w1|"
check "zero times: one warning each" test "$(grep -c 'has a mean wall time of 0 in w[12] (every repetition timed at 0)' "$T/z.err")" = 3
check "zero times: D's weighted score beats E's (1300 vs 1500 us everywhere)" \
	grep -q '^weighted score (equal shares and weights): best: D (it scores better than every other one by the tests)$' "$T/z.out"
"$V" report "$T/z" > /dev/null 2>&1
check "zero times: the report is written" test $? = 0 -a -s "$T/z/report.xhtml"
check "zero times: the report is valid XHTML 1.0 Strict" \
	xmllint --noout --dtdvalid /usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd "$T/z/report.xhtml"
check "zero times: the score table says why A is not scored" \
	grep -q 'A (a mean of 0 in w1: may not win)' "$T/z/report.xhtml"

# 2. the collector's URL: a host of 256 to 299 characters overflowed a
#    256-byte buffer (no port, or in brackets); now a usage error
h=$(awk 'BEGIN { while (n++ < 270) printf "a" }')
for url in "http://$h/" "http://[$h]/" "http://$h:80/" "http://$(awk 'BEGIN { while (n++ < 299) printf "b" }')"; do
	"$C" http "$url" -o "$T/long.log" > /dev/null 2> "$T/long.err"
	check "collector: a ${#url}-character URL: exit 2, a message, no log" \
		test $? = 2 -a ! -e "$T/long.log" -a "$(grep -c 'characters (expected at most 253' "$T/long.err")" = 1 -a \
		"$(grep -c 'ERROR: AddressSanitizer' "$T/long.err")" = 0
done

# 8. describe --column 0 read before its array; columns count from 1
for col in 0 00 ""; do
	"$V" describe --column "$col" fixtures/describe/runs.csv > "$T/col.out" 2> "$T/col.err"
	check "describe --column '$col': exit 2 with a message, nothing printed" \
		test $? = 2 -a ! -s "$T/col.out" -a "$(grep -c "describe: --column '$col': expected a column" "$T/col.err")" = 1
done
check "describe --column 2 still reads time_ms (12.5, 13, 12.25, 14, 12.75: mean 12.9 by hand)" \
	test "$("$V" describe --csv --column 2 fixtures/describe/runs.csv | awk -F, 'NR == 2 { print $2, $8 }')" = "5 12.9"

# 7. extreme stamps overflowed int64 in stats (wall_us=-2, exit 0; UBSan
#    in table.c and compute.c): stamps and byte counts outside 0..2^53-1
#    are errors at FILE:LINE:COL, and sums past int64 are unknown
printf 'vm,workload,direction,rep,seq,start_us,end_us,status,source\nA,w,internal,1,1,-9223372036854775807,9223372036854775807,ok,x:1\nA,w,internal,2,1,0,9223372036854775807,ok,x:2\n' > "$T/ext.csv"
mkdir -p "$T/ext"
"$V" stats -o "$T/ext" "$T/ext.csv" > /dev/null 2> "$T/ext.err"
check "stats: stamps beyond 2^53 - 1 exit 1" test $? = 1 -a ! -e "$T/ext/reps.csv"
check "stats: each out-of-range stamp named at FILE:LINE:COL" \
	test "$(grep -c -e 'ext.csv:2:18: error: out of range .-9223372036854775807. (expected start_us' \
		-e 'ext.csv:2:39: error: out of range .9223372036854775807. (expected end_us' \
		-e 'ext.csv:3:20: error: out of range .9223372036854775807. (expected end_us' "$T/ext.err")" = 3
awk 'BEGIN { print "vm,workload,direction,rep,seq,start_us,end_us,status,bytes,source"
	for (i = 1; i <= 1100; i++) printf "A,w,internal,1,%d,0,9007199254740991,ok,9007199254740991,x:%d\n", i, i }' > "$T/ext3.csv"
"$V" stats -o "$T/ext" "$T/ext3.csv" > /dev/null 2> "$T/ext3.err"
check "stats: 1,100 operations of 2^53 - 1 us each: exit 0, no sanitizer report" \
	test $? = 0 -a "$(grep -c 'runtime error\|AddressSanitizer' "$T/ext3.err")" = 0
check "stats: ... wall 2^53 - 1 exactly, busy and bytes unknown (their sums pass int64)" \
	test "$(awk -F, 'NR == 2 { print $8 "|" $9 "|" $10 }' "$T/ext/reps.csv")" = "9007199254740991||"

# 10. a repeated (rep, seq) after the row (4294967295, 4294967295): the
#     interval ending at the largest key wrapped to 0 in the key set
printf '# vmnetrank-log 1\n# workload=w\n# direction=internal\nrep,seq,start_us,end_us,status\n4294967295,4294967295,1196266661000000,1196266661000100,ok\n0,0,1196266661000200,1196266661000300,ok\n0,0,1196266661000400,1196266661000500,ok\n' > "$T/dup.log"
"$V" ingest -o "$T/dup.csv" "$T/dup.log" 2> "$T/dup.err"
check "ingest: a repeated rep 0 seq 0 after the largest key is an error at its line" \
	test $? = 1 -a ! -e "$T/dup.csv" -a "$(grep -c 'dup.log:7:3: error: repeated rep 0 seq 0' "$T/dup.err")" = 1
printf '# vmnetrank-log 1\n# workload=w\n# direction=internal\nrep,seq,start_us,end_us,status\n4294967295,4294967295,1196266661000000,1196266661000100,ok\n0,0,1196266661000200,1196266661000300,ok\n4294967295,4294967294,1196266661000400,1196266661000500,ok\n' > "$T/nodup.log"
"$V" ingest -o "$T/nodup.csv" "$T/nodup.log" 2> "$T/nodup.err"
check "ingest: ... while distinct keys around it are not" test $? = 0 -a "$(($(wc -l < "$T/nodup.csv") - 1))" = 3

# 6. an output that is an input: ingest -o X X replaced the raw log; run
#    -o DIR DIR overwrote a log named like an output; --rejects equal to
#    -o lost the samples.  Refused by device and inode (links too)
cp fixtures/ingest/native-basic.log "$T/in.log"
cp "$T/in.log" "$T/in.bak"
"$V" ingest -o "$T/in.log" "$T/in.log" 2> "$T/io.err"
check "ingest -o X X: exit 1, X unchanged, the reason named" \
	test $? = 1 -a "$(grep -c 'in.log: error: is also an input of this command' "$T/io.err")" = 1 && cmp -s "$T/in.log" "$T/in.bak"
ln -s "$T/in.log" "$T/link.csv"
ln "$T/in.log" "$T/hard.csv"
for out in link.csv hard.csv; do
	"$V" ingest -o "$T/$out" "$T/in.log" 2> /dev/null
	check "ingest -o $out (a link to the input): exit 1, the input unchanged" test $? = 1 && cmp -s "$T/in.log" "$T/in.bak"
done
"$V" ingest -o "$T/s.csv" --keep-going --rejects "$T/s.csv" "$T/in.log" 2> "$T/io.err"
check "ingest --rejects X -o X: exit 1, nothing written" \
	test $? = 1 -a ! -e "$T/s.csv" -a "$(grep -c 'is already an output of this command' "$T/io.err")" = 1
mkdir -p "$T/rd"
cp "$T/in.bak" "$T/rd/summary.csv"
"$V" run -o "$T/rd" "$T/rd" > /dev/null 2> "$T/io.err"
check "run -o DIR DIR with a log named summary.csv: exit 1, the log unchanged" \
	test $? = 1 && cmp -s "$T/rd/summary.csv" "$T/in.bak"
mkdir -p "$T/sd"
"$V" ingest -o "$T/sd/reps.csv" "$T/in.log" 2> /dev/null
cp "$T/sd/reps.csv" "$T/sd.bak"
"$V" stats -o "$T/sd" "$T/sd/reps.csv" 2> /dev/null
check "stats on a samples file named reps.csv into its own folder: exit 1, it is unchanged" \
	test $? = 1 && cmp -s "$T/sd/reps.csv" "$T/sd.bak"
mkdir -p "$T/tp"
"$V" stats -o "$T/tp" fixtures/rank/tied/samples.csv > /dev/null && "$V" rank --bootstrap 0 -o "$T/tp" "$T/tp" > /dev/null 2>&1
cp templates/report.xhtml templates/report.css "$T/tp/"
cp "$T/tp/report.xhtml" "$T/tp.bak"
"$V" report --template "$T/tp/report.xhtml" "$T/tp" 2> /dev/null
check "report --template DIR/report.xhtml DIR: exit 1, the template unchanged" \
	test $? = 1 && cmp -s "$T/tp/report.xhtml" "$T/tp.bak"

echo "robust: $pass passed, $fail failed"
[ "$fail" = 0 ]
