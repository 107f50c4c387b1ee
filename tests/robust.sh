#!/bin/sh
# Regression tests of what fuzzing and fault injection found (issue 13):
# each case crashed, hung, lost data or said something false before its
# fix.  Expected values by hand.
#   sh tests/robust.sh VMNETRANK COLLECT
set -u
V=$1
C=$2
T=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL robust: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
# "$@" holds and files $1 and $2 are the same (for check)
same_and() { f1=$1 f2=$2; shift 2; "$@" && cmp -s "$f1" "$f2"; }
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
check "ingest -o X X: exit 1, X unchanged, the reason named" same_and "$T/in.log" "$T/in.bak" \
	test $? = 1 -a "$(grep -c 'in.log: error: is also an input of this command' "$T/io.err")" = 1
ln -s "$T/in.log" "$T/link.csv"
ln "$T/in.log" "$T/hard.csv"
for out in link.csv hard.csv; do
	"$V" ingest -o "$T/$out" "$T/in.log" 2> /dev/null
	check "ingest -o $out (a link to the input): exit 1, the input unchanged" same_and "$T/in.log" "$T/in.bak" test $? = 1
done
"$V" ingest -o "$T/s.csv" --keep-going --rejects "$T/s.csv" "$T/in.log" 2> "$T/io.err"
check "ingest --rejects X -o X: exit 1, nothing written" \
	test $? = 1 -a ! -e "$T/s.csv" -a "$(grep -c 'is already an output of this command' "$T/io.err")" = 1
mkdir -p "$T/rd"
cp "$T/in.bak" "$T/rd/summary.csv"
"$V" run -o "$T/rd" "$T/rd" > /dev/null 2> "$T/io.err"
check "run -o DIR DIR with a log named summary.csv: exit 1, the log unchanged" same_and "$T/rd/summary.csv" "$T/in.bak" \
	test $? = 1
mkdir -p "$T/sd"
"$V" ingest -o "$T/sd/reps.csv" "$T/in.log" 2> /dev/null
cp "$T/sd/reps.csv" "$T/sd.bak"
"$V" stats -o "$T/sd" "$T/sd/reps.csv" 2> /dev/null
check "stats on a samples file named reps.csv into its own folder: exit 1, it is unchanged" same_and "$T/sd/reps.csv" "$T/sd.bak" \
	test $? = 1
mkdir -p "$T/tp"
"$V" stats -o "$T/tp" fixtures/rank/tied/samples.csv > /dev/null && "$V" rank --bootstrap 0 -o "$T/tp" "$T/tp" > /dev/null 2>&1
cp templates/report.xhtml templates/report.css "$T/tp/"
cp "$T/tp/report.xhtml" "$T/tp.bak"
"$V" report --template "$T/tp/report.xhtml" "$T/tp" 2> /dev/null
check "report --template DIR/report.xhtml DIR: exit 1, the template unchanged" same_and "$T/tp/report.xhtml" "$T/tp.bak" \
	test $? = 1

# 4. two runs into one folder both exited 0 with a mix of both runs' files;
#    now the folder is locked (flock on DIR/.vmnetrank.lock) and a second
#    command writing it is refused, the folder untouched
A=fixtures/real/netns/logs B=fixtures/real/qemu/logs
snap() { # the outputs of folder $1, with their checksums (hidden files left
	# out, and what depends on the run before: changes.csv and previous/,
	# tested in tests/compare.sh)
	(cd "$1" && find . -path './.*' -prune -o -path ./previous -prune -o \
		-type f ! -name changes.csv -print | LC_ALL=C sort | xargs md5sum)
}
mkdir -p "$T/lk"
"$V" run -o "$T/lk" "$A" > /dev/null 2>&1
snap "$T/lk" > "$T/lk.A"
(exec 9> "$T/lk/.vmnetrank.lock"; flock 9; sleep 30 9>&- & echo $! > "$T/lk.sleep"; wait) &
holder=$!
i=0; while [ $i -lt 50 ] && flock -n "$T/lk/.vmnetrank.lock" true; do sleep 0.05; i=$((i + 1)); done
for cmd in run stats rank report; do
	case $cmd in
	run) "$V" run -o "$T/lk" "$B" > /dev/null 2> "$T/lk.err" ;;
	stats) "$V" ingest -o "$T/lk.csv" "$B" 2> /dev/null; "$V" stats -o "$T/lk" "$T/lk.csv" > /dev/null 2> "$T/lk.err" ;;
	*) "$V" $cmd "$T/lk" > /dev/null 2> "$T/lk.err" ;;
	esac
	check "a second command ($cmd) on a locked folder: exit 1, says who holds it" \
		test $? = 1 -a "$(grep -c 'error: another vmnetrank command is writing this folder (it holds .*/lk/.vmnetrank.lock)' "$T/lk.err")" = 1
done
kill "$(cat "$T/lk.sleep")" 2> /dev/null; wait $holder 2> /dev/null
snap "$T/lk" > "$T/lk.now"
check "... and the folder holds the first run's outputs, unchanged" cmp -s "$T/lk.A" "$T/lk.now"
"$V" run -o "$T/lk" "$B" > /dev/null 2> "$T/lk2.err" & r1=$!
"$V" run -o "$T/lk" "$B" > /dev/null 2>> "$T/lk2.err" & r2=$!
wait $r1; e1=$?; wait $r2; e2=$?
"$V" run -o "$T/lkB" "$B" > /dev/null 2>&1
check "two runs at once: each exits 0 or is refused by the lock" \
	test "$e1$e2" = 00 -o \( "$e1$e2" = 01 -o "$e1$e2" = 10 \) -a "$(grep -c 'another vmnetrank command is writing' "$T/lk2.err")" = 1
check "... and the folder holds one run's complete outputs (the same as alone)" \
	test "$(snap "$T/lk" | sed 's| .*/| |' | grep -v 'report.xhtml$' | md5sum)" = "$(snap "$T/lkB" | sed 's| .*/| |' | grep -v 'report.xhtml$' | md5sum)"

# a folder with no stage files gets no lock file either
mkdir -p "$T/nostats"
"$V" rank "$T/nostats" > /dev/null 2>&1
"$V" report "$T/nostats" > /dev/null 2>&1
check "rank and report on a folder without stage files: exit 1, and no lock file or stage made there" \
	test $? = 1 -a -z "$(ls -A "$T/nostats")"

# 5. run was not all-or-nothing: a bad weights file, a missing template or
#    stylesheet, a chart that cannot be laid out were found after inputs,
#    reps, summary and hist were replaced.  Now a failed run leaves the
#    folder exactly as it was (the weights fail in rank, after stats has
#    written its files into the stage)
mkdir -p "$T/an" "$T/css-dir"
# twice: the outputs of A run over A's (the report says what changed)
"$V" run -o "$T/an" "$A" > /dev/null 2>&1
"$V" run -o "$T/an" "$A" > /dev/null 2>&1
snap "$T/an" > "$T/an.A"
cp templates/report.xhtml "$T/css-dir/"; mkdir "$T/css-dir/report.css"
printf 'share nosuch 0.5\n' > "$T/bad-weights.txt"
for how in "weights:--weights $T/bad-weights.txt" "no-template:--template $T/none.xhtml" \
	   "stylesheet-folder:--template $T/css-dir/report.xhtml"; do
	name=${how%%:*} opt=${how#*:}
	"$V" run -o "$T/an" $opt "$B" > /dev/null 2> "$T/an.err"
	rc=$?
	snap "$T/an" > "$T/an.now"
	check "run failing on $name: exit 1, every output of the earlier run unchanged" same_and "$T/an.A" "$T/an.now" \
		test $rc = 1
	check "... and no staging folder left" test -z "$(ls -A "$T/an" | grep stage)"
done
"$V" run -o "$T/an" --template "$T/css-dir/report.xhtml" "$A" > /dev/null 2> "$T/an.err"
check "run with a stylesheet that is a folder: the message says so" \
	grep -q 'css-dir/report.css: error: cannot read the stylesheet (expected a file report.css beside the template): not a regular file' "$T/an.err"
mkdir -p "$T/rs"
"$V" stats -o "$T/rs" fixtures/rank/tied/samples.csv > /dev/null && "$V" rank --bootstrap 0 "$T/rs" > /dev/null 2>&1
"$V" report --template "$T/css-dir/report.xhtml" "$T/rs" > /dev/null 2> "$T/rs.err"
check "report with a stylesheet that is a folder: exit 1, no report, no chart" \
	test $? = 1 -a ! -e "$T/rs/report.xhtml" -a ! -e "$T/rs/report.css" -a ! -e "$T/rs/charts"
# leftovers of a killed command: our hidden temporaries and a stage
: > "$T/an/.summary.csv.Ab12Cd"; : > "$T/an/.report.xhtml.zz99QQ"; : > "$T/an/charts/.01-means.png.XyZ123"
mkdir -p "$T/an/.vmnetrank-stage.Qw12Er/charts"; : > "$T/an/.vmnetrank-stage.Qw12Er/ranks.csv"; : > "$T/an/.vmnetrank-stage.Qw12Er/charts/01-means.png"
: > "$T/an/.notes.txt.Ab12Cd"
"$V" run -o "$T/an" "$A" > /dev/null 2>&1
check "the next run removes a killed run's temporaries and stage" \
	test -z "$(cd "$T/an" && ls -A . charts | grep -e '\.Ab12Cd$' -e zz99QQ -e XyZ123 -e stage | grep -v notes)"
check "... but not a hidden file that is not ours" test -e "$T/an/.notes.txt.Ab12Cd"
snap "$T/an" > "$T/an.now"
check "... and writes the same outputs as before" cmp -s "$T/an.A" "$T/an.now"

# 12. report with a malformed inputs.csv exited 1 but wrote the XHTML and
#     charts anyway; a header-only inputs.csv leaked (LeakSanitizer)
cp -r "$T/rs" "$T/mi"; rm -rf "$T/mi/report.xhtml" "$T/mi/charts"
printf 'path,format\n"unterminated,x\n' > "$T/mi/inputs.csv"
"$V" report "$T/mi" > /dev/null 2> "$T/mi.err"
check "report with a malformed inputs.csv: exit 1, no report, no chart" \
	test $? = 1 -a ! -e "$T/mi/report.xhtml" -a ! -e "$T/mi/charts" -a ! -e "$T/mi/report.css"
check "... and the error names inputs.csv" grep -q 'mi/inputs.csv:.*error' "$T/mi.err"
printf 'path,format,bytes,sha256,rows,rejected,warmup,failed,interrupted,left_out,start_res_us,meta\n' > "$T/mi/inputs.csv"
"$V" report "$T/mi" > /dev/null 2> "$T/mi.err"
check "report with a header-only inputs.csv: exit 0, no leak report" \
	test $? = 0 -a -s "$T/mi/report.xhtml" -a "$(grep -c 'LeakSanitizer' "$T/mi.err")" = 0

# 11. pipes and FIFOs: ingest opened each input several times, so a pipe
#     was empty the second time ("expected '# vmnetrank-log 1'") and a
#     FIFO nobody wrote blocked forever.  A pipe is now read once into a
#     temporary copy; a FIFO silent for VMNETRANK_PIPE_WAIT s is an error
L=fixtures/ingest/native-basic.log
"$V" ingest -o "$T/pf.csv" "$L" 2> /dev/null
cat "$L" | "$V" ingest -o "$T/pp.csv" /dev/stdin 2> "$T/pp.err"
check "cat LOG | ingest /dev/stdin: exit 0" test $? = 0
check "... the same samples as from the file (source aside)" \
	test "$(cut -d, -f1-12 "$T/pp.csv" | md5sum)" = "$(cut -d, -f1-12 "$T/pf.csv" | md5sum)"
if command -v bash > /dev/null; then
	bash -c '"$1" run -o "$2" <(cat "$3")' sh "$V" "$T/prun" "$L" > /dev/null 2>&1
	check "run -o DIR <(cat LOG): exit 0, inputs.csv has the log's SHA-256" \
		test $? = 0 -a "$(awk -F, 'NR == 2 { print $4 }' "$T/prun/inputs.csv")" = "$(sha256sum < "$L" | cut -d' ' -f1)"
fi
mkfifo "$T/fifo"
(sleep 0.5; cat "$L" > "$T/fifo") &
timeout 20 "$V" ingest -o "$T/pfifo.csv" "$T/fifo" 2> "$T/pfifo.err"
check "a FIFO written half a second later: exit 0, its 5 samples" test $? = 0 -a "$(($(wc -l < "$T/pfifo.csv") - 1))" = 5
wait
t0=$(date +%s)
VMNETRANK_PIPE_WAIT=1 timeout 10 "$V" ingest -o "$T/pnone.csv" "$T/fifo" 2> "$T/pnone.err"
check "a FIFO nobody writes: exit 1 within 3 s, no output, the reason named" \
	test $? = 1 -a $(($(date +%s) - t0)) -le 3 -a ! -e "$T/pnone.csv" -a "$(grep -c 'fifo: error: no byte from this pipe in 1 s' "$T/pnone.err")" = 1
"$V" ingest -o "$T/pdev.csv" /dev/null 2> "$T/pdev.err"
check "a device (/dev/null): exit 1, named as not a log" \
	test $? = 1 -a "$(grep -c '/dev/null: error: not a regular file, a pipe or a folder' "$T/pdev.err")" = 1

# 13. diagnostics: control characters from a log were echoed (a label
#     could forge a 'vmnetrank:' line or send a terminal escape); weights
#     and describe errors had no column; a write error named no file or
#     errno; an unreadable sub-folder stopped the walk
printf 'vm,workload,direction,rep,start_us,end_us,status\n"A\033[31m\nvmnetrank: forged",w,internal,1,1196266661000000,1196266661000100,ok\n"A\033[31m\nvmnetrank: forged",w,internal,2,1196266661000000,1196266661000100,ok\n"A\033[31m\nvmnetrank: forged",w,internal,3,1196266661000000,1196266661000100,x\n' > "$T/esc.csv"
"$V" run -o "$T/esc" --map vm=vm --map workload=workload --map direction=direction "$T/esc.csv" > "$T/esc.out" 2> "$T/esc.err"
check "a label with ESC and a newline: no raw control byte on stdout or stderr" \
	test "$(cat "$T/esc.out" "$T/esc.err" | tr -d '\n' | tr -d '[:print:]' | wc -c)" = 0
check "... no forged line: every stderr line is one of ours" test "$(grep -vc '^vmnetrank: ' "$T/esc.err")" = 0 -a "$(grep -c '^vmnetrank: forged' "$T/esc.err" "$T/esc.out" | awk -F: '{ s += $2 } END { print s }')" = 0
check "... the label shown escaped, as C writes it" grep -q 'A\\x1b\[31m\\nvmnetrank: forged' "$T/esc.err"
printf 'share w1 sideways 0.5\n' > "$T/wcol.txt"
"$V" rank --weights "$T/wcol.txt" "$T/z" > /dev/null 2> "$T/wcol.err"
check "weights errors carry the column of the word ('share w1 ': column 10)" \
	grep -q 'wcol.txt:1:10: error: unknown direction .sideways.' "$T/wcol.err"
printf 'a,b\n1,2\n3\n' > "$T/dcol.csv"
"$V" describe --column b "$T/dcol.csv" > /dev/null 2> "$T/dcol.err"
check "describe: a short row is named at the column past its last field (3:2)" \
	grep -q 'dcol.csv:3:2: error: 1 fields (expected at least 2 for column b)' "$T/dcol.err"
"$V" describe --column zz "$T/dcol.csv" > /dev/null 2> "$T/dcol.err"
check "describe: a missing column name is at 1:1" grep -q 'dcol.csv:1:1: error: no column .zz. in the header row' "$T/dcol.err"
if [ "$(id -u)" = 0 ] && mkdir -p /tmp/vmnetrank-full.$$ && mount -t tmpfs -o size=64k tmpfs /tmp/vmnetrank-full.$$ 2> /dev/null; then
	F=/tmp/vmnetrank-full.$$
	"$V" ingest -o "$F/x.csv" fixtures/real/netns/logs 2> "$T/full.err"
	check "a full disk (a 64 KiB tmpfs): exit 1, the file, its folder and errno named" \
		test $? = 1 -a "$(grep -c "$F/x.csv: error: cannot write it into the folder $F: No space left on device" "$T/full.err")" = 1
	"$V" run -o "$F/out" fixtures/real/netns/logs > /dev/null 2> "$T/full.err"
	check "run into a full disk: the file named in DIR (not in the stage), errno too" \
		grep -q "$F/out/[a-z]*\.csv: error: cannot write it into the folder $F/out: No space left on device" "$T/full.err"
	check "... and nothing left but the lock file" test "$(ls -A "$F/out")" = .vmnetrank.lock
	umount "$F"; rmdir "$F"
fi
U=$(mktemp -d /tmp/vmnetrank-walk.XXXXXX)
mkdir -p "$U/a" "$U/b" "$U/c"
cp fixtures/ingest/native-basic.log "$U/a/"; cp fixtures/ingest/native-basic.log "$U/b/"
cp fixtures/ingest/errors/missing-column.log "$U/c/"
chmod -R a+rX "$U"; chmod 000 "$U/b"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$V" ingest -o /dev/null "$U" 2> "$T/walk.err"
else
	"$V" ingest -o /dev/null "$U" 2> "$T/walk.err"
fi
check "an unreadable sub-folder: exit 1, named, and the walk goes on to list c's problem" \
	test $? = 1 -a "$(grep -c -e "$U/b: error: cannot read folder: Permission denied" -e "$U/c/missing-column.log:4: error: no 'seq' column" "$T/walk.err")" = 2
chmod 755 "$U/b"; rm -rf "$U"

# 9. rank grew with the square of the configurations without a limit
#    (1,000 x 6 cells: 21 s and 880 MB); past --max-configs (default
#    1000) it says what it would cost and stops before spending it
awk 'BEGIN { print "vm,workload,direction,rep,seq,start_us,end_us,status,source"
	for (c = 1; c <= 1001; c++) for (r = 1; r <= 2; r++)
		printf "c%d,w,internal,%d,1,0,%d,ok,x:%d\n", c, r, 1000 + c + r, c * 2 + r }' > "$T/many.csv"
mkdir -p "$T/many"
"$V" stats -o "$T/many" "$T/many.csv" > /dev/null 2>&1
t0=$(date +%s)
"$V" rank --bootstrap 0 "$T/many" > /dev/null 2> "$T/many.err"
check "rank of 1,001 configurations: exit 1 at once, the cost said (500,500 comparisons, by hand)" \
	test $? = 1 -a $(($(date +%s) - t0)) -le 5 -a ! -e "$T/many/pairs.csv" -a \
	"$(grep -c '1001 configurations in w, internal (more than --max-configs 1000): 500500 comparisons in all' "$T/many.err")" = 1
"$V" rank --bootstrap 0 --max-configs 4 -o "$T/z4" "$T/z" > /dev/null 2> "$T/z4.err"
check "rank --max-configs 4 of 5: refused (4 cells x 10 comparisons)" test $? = 1 -a "$(grep -c '5 configurations in w1, external (more than --max-configs 4): 40 comparisons in all' "$T/z4.err")" = 1
"$V" rank --bootstrap 0 --max-configs 5 -o "$T/z4" "$T/z" > /dev/null 2>&1
check "rank --max-configs 5 of 5: ranked" test $? = 0 -a -s "$T/z4/pairs.csv"

# found by make fuzz (tests/fuzz/*/crash-*, replayed by make check too):
# describe A B aborted (SIGABRT in GSL) when a value near 1e87 made the
# Welch df overflow; rank read past a configuration's labels when
# summary.csv had a label column reps.csv has not
awk 'BEGIN { printf "3.3e87\n91\n9.5\n91\n91\n89\n90\n90\n" }' > "$T/big.txt"
printf '1009\n100500\n' > "$T/small.txt"
"$V" describe "$T/small.txt" "$T/big.txt" > "$T/big.out" 2> "$T/big.err"
check "describe with a value of 3.3e87: exit 0, no abort, t = 1 and Welch's df 7 by hand (one value x among 8: mean x/8, se x/8; the big side's n - 1)" \
	test $? = 0 -a "$(grep -c 'Welch  *t = 1, df = 7, p = ' "$T/big.out")" = 1
check "... and its verdict is no difference" grep -q 'verdict: no difference proven at 95%' "$T/big.out"
mkdir -p "$T/lc"
"$V" stats -o "$T/lc" fixtures/rank/tied/samples.csv > /dev/null
sed '1s/,metric,/,extra,metric,/; 2,$s/,\([a-z_]*\),\([a-z]*\),\(lower\|higher\),/,x,\1,\2,\3,/' "$T/lc/summary.csv" > "$T/lc/s2" && mv "$T/lc/s2" "$T/lc/summary.csv"
"$V" rank --bootstrap 0 "$T/lc" > /dev/null 2> "$T/lc.err"
check "rank with a label column in summary.csv that reps.csv has not: exit 1 at summary.csv:1" \
	test $? = 1 -a "$(grep -c 'summary.csv:1: error: its label columns are not those of reps.csv' "$T/lc.err")" = 1
# ... and read a short row's missing fields from an earlier, longer row
# (a use after free: make fuzz's third find)
"$V" stats -o "$T/sr" fixtures/rank/tied/samples.csv > /dev/null
n=$(head -1 "$T/sr/reps.csv" | awk -F, '{ print NF }')
awk -F, 'NR == 3 { print $1 "," $2; next } { print }' "$T/sr/reps.csv" > "$T/sr/r2" && mv "$T/sr/r2" "$T/sr/reps.csv"
"$V" rank --bootstrap 0 "$T/sr" > /dev/null 2> "$T/sr.err"
check "rank with a short row in reps.csv: exit 1, the row named with its field count" \
	test $? = 1 -a "$(grep -c "reps.csv:3: error: 2 fields (expected $n, as in the header)" "$T/sr.err")" = 1

# 12. 1,000 copies of a winner row in sensitivity.csv drew 1,000 charts;
#     now a second winner row for a scope is an error and nothing is drawn
cp -r "$T/z" "$T/sv"; rm -rf "$T/sv/charts" "$T/sv/report.xhtml"
awk -F, 'NR == 1 { print; next } $2 == "winner" && $1 != "overall" && !done { for (i = 0; i < 1000; i++) print; done = 1; next } { print }' "$T/z/sensitivity.csv" > "$T/sv/sensitivity.csv"
"$V" report "$T/sv" > /dev/null 2> "$T/sv.err"
check "report with 1,000 copies of a winner row: exit 1, no chart, no report" \
	test $? = 1 -a ! -e "$T/sv/charts" -a ! -e "$T/sv/report.xhtml" -a "$(grep -c 'sensitivity.csv: error: row 3: a second winner row for w1' "$T/sv.err")" = 1

# the fault test: kill -9 of run at random points leaves the previous
# complete outputs or the new complete outputs, never a mix.  A kill
# inside the moves (forced with the test hook VMNETRANK_FAULT_AFTER_MOVES)
# leaves a committed stage that the next command on the folder finishes
# (a run's report says what changed since the run before it, so the
# references are of A run over B's outputs and of B run over A's, and
# each trial starts from "A over B")
mkdir -p "$T/kf"
"$V" run -o "$T/kf" "$A" > /dev/null 2>&1
"$V" run -o "$T/kf" "$B" > /dev/null 2>&1 && snap "$T/kf" > "$T/kf.B"
"$V" run -o "$T/kf" "$A" > /dev/null 2>&1 && snap "$T/kf" > "$T/kf.A"
"$V" run -o "$T/kf" "$B" > /dev/null 2>&1
start=$(date +%s%N); "$V" run -o "$T/kf" "$A" > /dev/null 2>&1; stop=$(date +%s%N)
snap "$T/kf" > "$T/kf.now"
check "fault test: a run is reproducible (the references hold)" cmp -s "$T/kf.A" "$T/kf.now"
back_to_a() { # the state every trial starts from: A run over B's outputs
	"$V" run -o "$T/kf" "$B" > /dev/null 2>&1
	"$V" run -o "$T/kf" "$A" > /dev/null 2>&1
}
dur=$(( (stop - start) / 1000 ))
trials=0 prev=0 new=0 mixed=0 pending=0
for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14; do
	delay=$(awk -v s=$seed -v d=$dur 'BEGIN { srand(s); printf "%.6f", rand() * d * 1.3 / 1e6 }')
	"$V" run -o "$T/kf" "$B" > /dev/null 2>&1 & pid=$!
	sleep "$delay"; kill -9 $pid 2> /dev/null; wait $pid 2> /dev/null
	trials=$((trials + 1))
	snap "$T/kf" > "$T/kf.now"
	if ls -d "$T/kf"/.vmnetrank-stage.*/.commit > /dev/null 2>&1; then
		pending=$((pending + 1))
		"$V" report -o "$T/kf" --template "$T/none.xhtml" "$T/kf" > /dev/null 2>&1
		snap "$T/kf" > "$T/kf.now"
		cmp -s "$T/kf.now" "$T/kf.B" && new=$((new + 1)) || mixed=$((mixed + 1))
	elif cmp -s "$T/kf.now" "$T/kf.A"; then prev=$((prev + 1))
	elif cmp -s "$T/kf.now" "$T/kf.B"; then new=$((new + 1))
	else mixed=$((mixed + 1)); cp "$T/kf.now" "/tmp/vmnetrank-kf-mixed.$seed"
	fi
	back_to_a
done
for n in 1 4 12 20; do
	VMNETRANK_FAULT_AFTER_MOVES=$n "$V" run -o "$T/kf" "$B" > /dev/null 2>&1
	trials=$((trials + 1))
	check "fault test: killed after $n moves: a committed stage is left" \
		test "$(ls -d "$T/kf"/.vmnetrank-stage.*/.commit 2> /dev/null | wc -l)" = 1
	"$V" report -o "$T/kf" --template "$T/none.xhtml" "$T/kf" > /dev/null 2> "$T/kf.err"
	snap "$T/kf" > "$T/kf.now"
	check "fault test: ... the next command finishes it: the new outputs, whole" same_and "$T/kf.now" "$T/kf.B" \
		test "$(grep -c 'finishing the outputs of a command that was stopped' "$T/kf.err")" = 1
	pending=$((pending + 1)) new=$((new + 1))
	back_to_a
done
echo "robust: fault test: $trials kill -9 trials: $prev previous, $new new ($pending finished by the next command), $mixed mixed"
check "fault test: $trials kill -9 trials ($prev left the previous outputs, $new the new ones, $pending finished by the next command): none a mix" \
	test "$mixed" = 0 -a "$trials" -ge 10
check "fault test: after a clean run no stage is left" test -z "$(ls -A "$T/kf" | grep stage)"

echo "robust: $pass passed, $fail failed"
[ "$fail" = 0 ]
