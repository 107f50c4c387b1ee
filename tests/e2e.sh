#!/bin/sh
# End-to-end tests of the vmnetrank binary.  Every expected value is
# computed independently here (awk over the raw logs, ab's own columns) or
# written by hand from mission.md.
#   sh tests/e2e.sh BINARY GENMATRIX
set -u
V=$1
GEN=$2
MUT=${3:-}
T=$(mktemp -d)
trap 'kill $(cat "$T/lighttpd.pid" 2>/dev/null) 2>/dev/null; rm -rf "$T"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL e2e: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

# Raw logs are never modified: fingerprint every fixture first.
find fixtures -type f | sort | xargs sha256sum > "$T/fixtures.before"

# 1. fast path vs libcsv alone, one thread vs two: identical output
for f in fixtures/ingest/native-basic.log fixtures/ingest/native-quoted.log \
	 "fixtures/ingest/vm=coLinux"; do
	"$V" ingest "$f" > "$T/a.csv" 2>/dev/null
	"$V" ingest --no-fast-path "$f" > "$T/b.csv" 2>/dev/null
	"$V" ingest --threads 1 "$f" > "$T/c.csv" 2>/dev/null
	check "fast path = libcsv on $f" cmp -s "$T/a.csv" "$T/b.csv"
	check "1 thread = 2 threads on $f" cmp -s "$T/a.csv" "$T/c.csv"
	check "output not empty for $f" test "$(wc -l < "$T/a.csv")" -gt 1
done

# 2. a generated matrix, checked against awk over the raw logs
"$GEN" --seed 7 --file-reps 8 --web-reps 3 --web-ops 400 -o "$T/m" || bad "genmatrix"
"$V" ingest -o "$T/s1.csv" "$T/m" || bad "ingest matrix"
"$V" ingest --threads 1 --no-fast-path -o "$T/s2.csv" "$T/m"
check "same inputs give byte-identical output" cmp -s "$T/s1.csv" "$T/s2.csv"
rows_raw=$(find "$T/m" -type f -name '*.log' -exec cat {} + | grep -cv -e '^#' -e '^rep,')
rows_out=$(($(wc -l < "$T/s1.csv") - 1))
check "row count $rows_out = $rows_raw data lines in the logs" test "$rows_out" = "$rows_raw"
# every duration is end - start, recomputed from the raw log line it names
awk -F, 'NR > 1 { if ($10 != $9 - $8) bad++ } END { exit bad > 0 }' "$T/s1.csv"
check "duration_us = end_us - start_us on every row" test $? = 0
# per-file sums of durations: from the raw logs vs from samples.csv
for f in $(find "$T/m" -type f | sort); do
	awk -F, -v F="$f" '!/^#/ && $1 != "rep" { s += $4 - $3 } END { printf "%s %.0f\n", F, s }' "$f"
done > "$T/raw.sums"
awk -F, 'NR > 1 { split($13, p, ":"); s[p[1]] += $10 } END { for (f in s) printf "%s %.0f\n", f, s[f] }' "$T/s1.csv" | sort > "$T/out.sums"
check "per-file duration sums match the raw logs" cmp -s "$T/raw.sums" "$T/out.sums"
# labels from the folders (vm, netmode, mem_mb) and the header (direction, workload)
check "header columns" test "$(head -1 "$T/s1.csv")" = "mem_mb,netmode,vm,workload,direction,rep,seq,start_us,end_us,duration_us,bytes,status,source,start_res_us"
check "every group of the matrix present (72)" test "$(awk -F, 'NR > 1 { g[$1","$2","$3","$4","$5] = 1 } END { print length(g) }' "$T/s1.csv")" = 72

# 3. the matrix reproduces Table 3 of mission.md: per cell, each VM's best
#    configuration by mean repetition wall time, VMs ordered best first
awk -F, 'NR > 1 {
	k = $3 SUBSEP $2 SUBSEP $1 SUBSEP $4 SUBSEP $5 SUBSEP $6
	if (!(k in lo) || $8 < lo[k]) lo[k] = $8
	if (!(k in hi) || $9 > hi[k]) hi[k] = $9
}
END {
	for (k in lo) { split(k, a, SUBSEP); c = a[1] SUBSEP a[2] SUBSEP a[3] SUBSEP a[4] SUBSEP a[5]
		sum[c] += hi[k] - lo[k]; n[c]++ }
	for (c in sum) { split(c, a, SUBSEP); m = sum[c] / n[c]; cell = a[4] " " a[5]
		vk = cell SUBSEP a[1]
		if (!(vk in best) || m < best[vk]) { best[vk] = m; name[vk] = a[1] " (" a[2] ", " a[3] ")" } }
	for (vk in best) { split(vk, a, SUBSEP); printf "%s\t%.0f\t%s\n", a[1], best[vk], name[vk] }
}' "$T/s1.csv" | sort -t "$(printf '\t')" -k1,1 -k2,2n | awk -F '\t' '
	$1 != cell { if (cell != "") print cell ": " line; cell = $1; line = $3; next }
	{ line = line " | " $3 } END { print cell ": " line }' > "$T/table3.got"
cat > "$T/table3.want" <<'WANT'
file-100m external: VirtualBox (NAT, 512) | coLinux (TAP, 512) | QEMU (TAP, 512)
file-100m internal: VirtualBox (NAT, 512) | QEMU (NAT, 512) | coLinux (TAP, 512)
file-1k external: VirtualBox (NAT, 512) | coLinux (TAP, 512) | QEMU (TAP, 512)
file-1k internal: VirtualBox (NAT, 512) | QEMU (NAT, 512) | coLinux (TAP, 512)
web external: VirtualBox (NAT, 256) | coLinux (NAT, 256) | QEMU (TAP, 256)
web internal: coLinux (NAT, 256) | VirtualBox (NAT, 256) | QEMU (TAP, 256)
WANT
if cmp -s "$T/table3.want" "$T/table3.got"; then ok; else bad "Table 3 orderings"; diff "$T/table3.want" "$T/table3.got"; fi
check "matrix headers say the data are synthetic" \
	test "$(grep -L 'SYNTHETIC' $(find "$T/m" -type f) | wc -l)" = 0

# 4. bad input: nothing written, the old file kept, no temporary left
mkdir "$T/o" && echo OLD > "$T/o/out.csv"
"$V" ingest -o "$T/o/out.csv" fixtures/ingest/native-basic.log fixtures/ingest/errors/bad-number.log 2>/dev/null
check "exit status 1 on a bad row" test $? = 1
check "old output kept on failure" test "$(cat "$T/o/out.csv")" = OLD
check "no temporary file left" test "$(ls -A "$T/o")" = out.csv
"$V" ingest fixtures/ingest/native-basic.log fixtures/ingest/errors/bad-number.log > "$T/o/stdout" 2>/dev/null
check "nothing on stdout on failure" test ! -s "$T/o/stdout"
"$V" ingest --keep-going -o "$T/o/k.csv" fixtures/ingest/errors/bad-number.log 2>/dev/null
check "--keep-going exits 0" test $? = 0
check "--keep-going writes rejects beside the output" test "$(wc -l < "$T/o/rejects.csv")" = 3
"$V" ingest -o /dev/null fixtures/ingest/native-basic.log
check "-o /dev/null works and leaves it a device" test -c /dev/null
"$V" ingest -o "$T/nonexistent-dir/x.csv" fixtures/ingest/native-basic.log 2>"$T/err"
check "unwritable output is an error" test $? = 1 -a -s "$T/err"

# 5. a real ab -g run against lighttpd on loopback, ingested with the
#    command line the README documents
mkdir -p "$T/www" && head -c 512 /dev/zero | tr '\0' x > "$T/www/index.html"
. "$(dirname "$0")/lighttpd.sh"
if lighttpd_start "$T" "$T/www"; then
	port=$LIGHTTPD_PORT
	ab -q -n 300 -c 1 -g "$T/ab.tsv" "http://127.0.0.1:$port/index.html" > "$T/ab.out" 2>&1
	check "ab ran" test $? = 0
	"$V" ingest --label direction=internal --label workload=web \
		--map start=seconds:s --map duration=ttime:ms --ignore starttime,ctime,dtime,wait \
		-o "$T/ab.csv" "$T/ab.tsv"
	check "ab -g output ingests" test $? = 0
	check "300 requests, 300 samples" test "$(($(wc -l < "$T/ab.csv") - 1))" = 300
	want=$(awk -F '\t' 'NR > 1 { s += $5 * 1000 } END { printf "%.0f", s }' "$T/ab.tsv")
	got=$(awk -F, 'NR > 1 { s += $7 } END { printf "%.0f", s }' "$T/ab.csv")
	check "sum of durations = sum of ab's ttime ($got us = $want us)" test "$got" = "$want"
	# its start stamps are whole seconds: no wall time, ranked by busy
	"$V" run -o "$T/abr" --bootstrap 0 --label direction=internal --label workload=web \
		--map start=seconds:s --map duration=ttime:ms --ignore starttime,ctime,dtime,wait \
		"$T/ab.tsv" > "$T/abr.out" 2> "$T/abr.err"
	check "ab -g: ranked by busy time, and the terminal says so" \
		grep -q '^web, internal (busy time, lower is better): ' "$T/abr.out"
	check "ab -g: a warning says why" grep -q 'web is ranked by busy time, not wall time: 1 configuration has no start stamps, or ones coarser' "$T/abr.err"
	check "ab -g: summary.csv's wall row says why it is empty" \
		grep -q 'have start stamps at 1 s resolution, coarser than their operations' "$T/abr/summary.csv"
	check "ab -g: the report says so" grep -q 'instead of the default, wall time, which cannot be known' "$T/abr/report.xhtml"
	lighttpd_stop "$T"
else
	bad "lighttpd did not start: $(cat "$T/lighttpd.start")"
fi

# 5b. the real runs of tests/testbed committed in fixtures/real: whole,
#     every operation ok, counts as their notes say, a report from each
for v in qemu netns; do
	d=fixtures/real/$v
	"$V" run -o "$T/real-$v" --bootstrap 500 --by netmode "$d/logs" > "$T/real.out" 2> "$T/real.err"
	check "real $v: vmnetrank run makes a report" test $? = 0 -a -s "$T/real-$v/report.xhtml"
	check "real $v: no warnings (nothing interrupted, nothing rejected)" test ! -s "$T/real.err"
	groups=12
	[ $v = qemu ] && groups=24
	check "real $v: $groups groups, none with a failed operation" \
		test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["metric"] == "wall" && $h["failed_ops"] == 0' "$T/real-$v/summary.csv" | wc -l)" = $groups
	reps=$(sed -n 's/.*web = \([0-9]*\) repetitions of \([0-9]*\) requests.*/\1 \2/p' "$d/notes.txt")
	check "real $v: every web cell has the repetitions and requests its notes say ($reps)" \
		test "$(awk -F, -v r="$reps" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
			$h["workload"] == "web" && $h["metric"] == "wall" && $h["n_reps"] " " $h["n_ops"] / $h["n_reps"] != r' "$T/real-$v/summary.csv" | wc -l)" = 0
	check "real $v: the command that made it is committed" grep -q 'tests/testbed/testbed.sh' "$d/COMMAND"
	check "real $v: the headers say which host and kernel measured" \
		test "$(grep -L '^# kernel=' $(find "$d/logs" -name '*.log') | wc -l)" = 0
done

# 5b'. the matrix run (make testbed-full) committed in fixtures/real/matrix:
#     every configuration of its plan, one repetition a round, the plan's
#     hash in every log, RMIT said, each technology's NAT vs TAP decided
#     or stated as tied in the factor section
d=fixtures/real/matrix
if [ -d "$d" ]; then
	"$V" run -o "$T/real-matrix" --bootstrap 500 --by vm "$d/logs" > "$T/realm.out" 2> "$T/realm.err"
	check "real matrix: vmnetrank run makes a report" test $? = 0 -a -s "$T/real-matrix/report.xhtml"
	cfgs=$(sed -n '1s/.*: \([0-9]*\) configurations x .*/\1/p' "$d/schedule.txt")
	# a cell's repetitions: its configuration's trials in the schedule
	# (a workload may run in fewer rounds than the plan), one each
	check "real matrix: $cfgs configurations x 6 cells, each with the trials its schedule lists, none failed" \
		test "$(awk 'FNR == NR { if ($2 == "round") { sub(/\[setup\] /, ""); sub(/ \[teardown\]/, "")
				t[$4 "/" $5 "/" $6 SUBSEP $7 SUBSEP $8]++ }; next }
			FNR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
			$h["metric"] == "wall" && $h["failed_ops"] == 0 &&
			$h["n_reps"] == t["vm=" $h["vm"] "/netmode=" $h["netmode"] "/mem_mb=" $h["mem_mb"] SUBSEP $h["workload"] SUBSEP $h["direction"]]' \
			FS=' ' "$d/schedule.txt" FS=, "$T/real-matrix/summary.csv" | wc -l)" = $((cfgs * 6))
	sha=$(sed -n 's/^# meta.plan_sha256=//p' $(find "$d/logs" -name 'round-1.log' | head -1))
	check "real matrix: every log carries one plan hash" \
		test "$(grep -rh '^# meta.plan_sha256=' "$d/logs" | sort -u)" = "# meta.plan_sha256=$sha"
	check "real matrix: the report says RMIT" grep -q 'randomized interleaved order (RMIT)' "$T/real-matrix/report.xhtml"
	check "real matrix: the report has NAT / TAP per technology" \
		test "$(grep -o '<td>NAT / TAP = [0-9.]* \[[0-9.]*, [0-9.]*\]</td>' "$T/real-matrix/report.xhtml" | wc -l)" -ge 6
	check "real matrix: the command that made it is committed" grep -q 'make testbed-full\|testbed.sh --full' "$d/COMMAND"
fi

# 5c. a folder of results with a README, notes.txt and COMMAND beside the
#     logs runs; the files that are no logs are named in one warning, and
#     a file named on the command line that is no log is still an error
"$V" run -o "$T/withnotes" --bootstrap 0 --by netmode fixtures/real/qemu > /dev/null 2> "$T/withnotes.err"
check "a folder with notes.txt runs" test $? = 0 -a -s "$T/withnotes/report.xhtml"
check "one warning names the files that are not logs" \
	test "$(grep -c 'skipped 3 files in the folders that are not timing logs.*COMMAND.*notes.txt.*title.txt' "$T/withnotes.err")" = 1
"$V" ingest fixtures/real/qemu/notes.txt > /dev/null 2>&1
check "a named file that is no log is an error" test $? = 1

# 5d. one family per cell: on the real QEMU run (3 repetitions) the
#     by-netmode view once ranked NAT [1], TAP [2] for file-1k external
#     from its own two-member Holm family while the cell's four tied; now
#     every pair of the view has the verdict the cell gave the same pair
"$V" run -o "$T/fam" --bootstrap 0 --by netmode fixtures/real/qemu/logs > /dev/null 2>&1
csv_awk='function csv(line, f,   n, i, c, q, cur) { n = 0; cur = ""; q = 0
	for (i = 1; i <= length(line); i++) { c = substr(line, i, 1)
		if (c == "\"") q = !q; else if (c == "," && !q) { f[++n] = cur; cur = "" } else cur = cur c }
	f[++n] = cur; return n }'
disagree=$(awk "$csv_awk"'
	NR > 1 { csv($0, f); k = f[2] SUBSEP f[3] SUBSEP f[4] SUBSEP f[5]
		if (f[1] == "internal" || f[1] == "external") cellv[k] = f[19]
		else if (f[1] == "by-netmode") { byv[k] = f[19]; nby++ } }
	END { flip["beats"] = "beaten"; flip["beaten"] = "beats"; flip["tied"] = "tied"
		for (k in byv) { split(k, p, SUBSEP); r = p[1] SUBSEP p[2] SUBSEP p[4] SUBSEP p[3]
			if (k in cellv ? cellv[k] != byv[k] : !(r in cellv) || flip[cellv[r]] != byv[k]) bad++ }
		print nby "/" bad + 0 }' "$T/fam/pairs.csv")
check "by-netmode view: its 6 pairs all have the cell's verdicts ($disagree: pairs/disagreeing)" test "$disagree" = 6/0
check "by-netmode view: file-1k external is a tie, as the cell is" \
	test "$(awk "$csv_awk"'NR > 1 { csv($0, f) } f[1] == "by-netmode" && f[2] == "file-1k" && f[3] == "external" { print f[13] }' "$T/fam/ranks.csv" | sort -u)" = "1="

# 5e. "equal" versus "cannot be told apart", and what a tie could see:
#     pairs.csv's equal is the Holm-adjusted equivalence p below alpha;
#     a tie in the real QEMU run (3 repetitions) says how small a
#     difference its repetitions could see and how many would show 10%
check "pairs.csv: equal = yes exactly when equiv_holm_p < alpha ($(awk "$csv_awk"'NR > 1 { csv($0, f); n++; if ((f[22] < 0.05) != (f[23] == "yes")) bad++ } END { print n " pairs, " bad + 0 " wrong" }' "$T/fam/pairs.csv"))" \
	test "$(awk "$csv_awk"'NR > 1 { csv($0, f); if ((f[22] < 0.05) != (f[23] == "yes") || f[22] < f[21]) bad++ } END { print bad + 0 }' "$T/fam/pairs.csv")" = 0
check "pairs.csv: no pair both beats and is equal" \
	test "$(awk "$csv_awk"'NR > 1 { csv($0, f); if (f[19] != "tied" && f[23] == "yes") bad++ } END { print bad + 0 }' "$T/fam/pairs.csv")" = 0
check "real QEMU: no weighted-score winner is claimed (the bootstrap test once named one from 3 repetitions)" \
	test "$(grep -c 'has the best weighted score' "$T/fam/report.xhtml")" = 0 -a \
	"$(grep -c 'cannot be told apart at the top of the weighted score' "$T/fam/report.xhtml")" = 1
check "real QEMU: scores.csv ranks every configuration 1= overall" \
	test "$(awk "$csv_awk"'NR > 1 { csv($0, f); if (f[1] == "overall") print f[10] }' "$T/fam/scores.csv" | sort -u)" = "1="
check "real QEMU: nothing is shown equal within 1% at 3 repetitions" \
	test "$(awk "$csv_awk"'NR > 1 { csv($0, f); if (f[23] == "yes") n++ } END { print n + 0 }' "$T/fam/pairs.csv")" = 0
check "real QEMU: a tied cell's answer says what 3 repetitions could see" \
	grep -q '<strong>file-1k, external</strong> (by wall time, lower is better): <span class="tie">[^<]*</span> cannot be told apart: [^<]* but is not proven faster than the others named; with 3 repetitions and CV [0-9.]*%, differences under [0-9.]*% cannot be seen; [0-9]* repetitions would show 10%.' "$T/fam/report.xhtml"
check "real QEMU: ranks.csv: reps_needed > cell_n_reps = 3 wherever detectable > 10%" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } { gsub(/"[^"]*"/, "Q") } $h["cell_n_reps"] != 3 || ($h["detectable"] > 0.1 && $h["reps_needed"] != "" && $h["reps_needed"] <= 3) { bad++ } END { print bad + 0 }' "$T/fam/ranks.csv")" = 0
"$V" run -o "$T/fam30" --bootstrap 0 --margin 30 --detect 40 fixtures/real/qemu/logs > "$T/fam30.out" 2>&1
check "--margin 30: wide enough that some ties are shown equal, and said so" \
	grep -q 'equal to it within 30%' "$T/fam30.out"
check "--margin and --detect are written in ranks.csv" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } { gsub(/"[^"]*"/, "Q"); print $h["margin"] "/" $h["detect"] }' "$T/fam30/ranks.csv" | sort -u)" = 0.3/0.4
for bad_arg in "--margin 50" "--margin -1" "--margin x" "--detect 0" "--detect 100"; do
	# shellcheck disable=SC2086
	"$V" rank $bad_arg "$T/fam" > /dev/null 2> "$T/arg.err"
	check "rank $bad_arg: a usage error (exit 2) that names the option" \
		test $? = 2 -a "$(grep -c -e "${bad_arg%% *}" "$T/arg.err")" = 1
done
# steady state: per cell, the report counts the repetitions MSER-5 found
# none in, as reps.csv says repetition by repetition
for dir in internal external; do
	nm=$(awk -F, -v d=$dir 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["workload"] == "web" && $h["direction"] == d { n++; if ($h["steady"] == "no") u++ } END { print u + 0 " of " n }' "$T/fam/reps.csv")
	check "real QEMU: web $dir: the report says MSER-5 found no steady state in $nm repetitions" \
		grep -q "Steady state (MSER-5): $nm repetitions have none" "$T/fam/report.xhtml"
done
check "real QEMU: file batches of one operation are not judged" \
	test "$(grep -o 'Steady state (MSER-5): not judged, every repetition has fewer than 10 successful operations' "$T/fam/report.xhtml" | wc -l)" = 4

# 3 + 3 repetitions: Mann-Whitney's smallest p is 0.1, so a beats there
# rests on normality, and the report and terminal say so
mkdir -p "$T/mw"
"$V" stats -o "$T/mw" fixtures/rank/crossover/samples.csv > /dev/null &&
	"$V" rank --bootstrap 0 "$T/mw" > "$T/mw.out" && "$V" report "$T/mw" > /dev/null
check "3 + 3 repetitions: the terminal says the verdict rests on normality" \
	grep -q "with 3 + 3 repetitions no rank test can reach p < 0.05" "$T/mw.out"
check "3 + 3 repetitions: so does the report, in the answer and in the cell" \
	test "$(grep -o 'With 3 + 3 repetitions no rank test can reach p &lt; 0.05 (Mann-Whitney.s smallest two-sided p is 0.1)' "$T/mw/report.xhtml" | wc -l)" -ge 4

# 6. stats on the matrix, checked against awk over samples.csv
"$V" stats -o "$T/st" "$T/s1.csv"
check "stats runs on the matrix" test $? = 0
want=$(awk -F, 'NR > 1 { k[$1","$2","$3","$4","$5","$6] = 1 } END { print length(k) }' "$T/s1.csv")
check "reps.csv has one row per (group, rep): $want" test "$(($(wc -l < "$T/st/reps.csv") - 1))" = "$want"
check "summary.csv has one row per group and metric (72 x 7)" test "$(($(wc -l < "$T/st/summary.csv") - 1))" = 504
# the wall rows of summary.csv, columns by name: labels, n_reps, n_ops, mean
wall_rows() { awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["metric"] == "wall" { printf "%s,%s,%s,%s,%s %s %s %s\n", $1, $2, $3, $4, $5, $h["n_reps"], $h["n_ops"], $h["mean"] }' "$1"; }
# mean repetition wall time per group: awk from the samples, vs summary.csv
awk -F, 'NR > 1 { k = $1","$2","$3","$4","$5; r = k SUBSEP $6
	if (!(r in lo) || $8 < lo[r]) lo[r] = $8; if (!(r in hi) || $9 > hi[r]) hi[r] = $9 }
	END { for (r in lo) { split(r, a, SUBSEP); s[a[1]] += hi[r] - lo[r]; n[a[1]]++ }
	      for (k in s) printf "%s %.6f\n", k, s[k] / n[k] }' "$T/s1.csv" | sort > "$T/mean.awk"
wall_rows "$T/st/summary.csv" | awk '{ printf "%s %.6f\n", $1, $4 }' | sort > "$T/mean.stats"
bad_means=$(join "$T/mean.awk" "$T/mean.stats" | awk '{ d = $2 - $3; if (d < 0) d = -d; if (d > 1e-9 * $2 + 1e-6) n++ } END { print n + 0 }')
check "group mean wall times agree with awk (72 groups, $bad_means differ)" test "$bad_means" = 0 -a "$(join "$T/mean.awk" "$T/mean.stats" | wc -l)" = 72
# per-group operation counts
awk -F, 'NR > 1 { n[$1","$2","$3","$4","$5]++ } END { for (k in n) print k, n[k] }' "$T/s1.csv" | sort > "$T/n.awk"
wall_rows "$T/st/summary.csv" | awk '{ print $1, $3 }' | sort > "$T/n.stats"
check "n_ops per group agrees with awk" cmp -s "$T/n.awk" "$T/n.stats"
"$V" stats --threads 1 -o "$T/st1" "$T/s1.csv"
check "stats: two threads (file read in halves) = one thread, byte for byte" diff -r "$T/st" "$T/st1"
"$V" stats --steady -o "$T/st2" "$T/s1.csv"
check "stats --steady runs" test $? = 0
# summary.csv then holds both: the all-data rows as without --steady, and
# the steady-state rows, with fewer operations; reps.csv says which
data_rows() { awk -F, -v d="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["metric"] == "wall" && $h["data"] == d { s += $h["n_ops"]; n++ } END { print n + 0, s + 0 }' "$1"; }
check "--steady: summary.csv has the 72 all-data rows of every operation ($(data_rows "$T/st2/summary.csv" all))" \
	test "$(data_rows "$T/st2/summary.csv" all)" = "72 $rows_raw"
check "--steady: ... the same as without --steady" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i } NR == 1 || $h["data"] == "all"' "$T/st2/summary.csv" | cut -d, -f1-42 | md5sum)" = "$(cut -d, -f1-42 "$T/st/summary.csv" | md5sum)"
check "--steady: and 72 steady-state rows without the warm-up operations ($(data_rows "$T/st2/summary.csv" steady-state))" \
	test "$(data_rows "$T/st2/summary.csv" steady-state | cut -d' ' -f1)" = 72 -a \
	"$(data_rows "$T/st2/summary.csv" steady-state | cut -d' ' -f2)" -lt "$rows_raw"
check "--steady: reps.csv is of the steady state, and says so" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } { print $h["data"] }' "$T/st2/reps.csv" | sort -u)" = steady-state
check "--steady: rank ranks the steady-state figures (it checks them against the steady rows)" \
	"$V" rank --bootstrap 0 -o "$T/st2" "$T/st2" > /dev/null
# a bad samples file: exit 1, and the earlier outputs stay as they were
cp -r "$T/st" "$T/st.before"
printf 'x\n' >> "$T/s1.csv"
"$V" stats -o "$T/st" "$T/s1.csv" 2>"$T/st.err"
check "stats fails on a bad row" test $? = 1
check "a bad row in the second half is reported at its own line ($(wc -l < "$T/s1.csv"))" \
	grep -q "s1.csv:$(wc -l < "$T/s1.csv"): error: 1 fields (expected 14" "$T/st.err"
check "stats leaves earlier outputs untouched on failure" diff -r "$T/st" "$T/st.before"

# 6b. shards: ingest --partial where the logs are, stats merging anywhere,
#     into the bytes of one run over all the logs
for vm in QEMU VirtualBox coLinux; do
	"$V" ingest --partial -o "$T/sh-$vm.vnr" "$T/m/vm=$vm" || bad "ingest --partial vm=$vm"
done
"$V" stats -o "$T/shm" "$T/sh-coLinux.vnr" "$T/sh-QEMU.vnr" "$T/sh-VirtualBox.vnr"
check "stats on three shards: exit 0" test $? = 0
"$V" stats -o "$T/sh1" "$T/m" 2> /dev/null
same_stats() { for f in reps summary hist; do cmp -s "$1/$f.csv" "$2/$f.csv" || return 1; done; }
check "three shards (one per VM) merge into the bytes of stats over the logs" same_stats "$T/sh1" "$T/shm"
"$V" stats --steady -o "$T/shms" "$T/sh-QEMU.vnr" "$T/sh-coLinux.vnr" "$T/sh-VirtualBox.vnr" &&
	"$V" stats --steady -o "$T/sh1s" "$T/m" 2> /dev/null
check "the same shards serve --steady: the bytes of stats --steady over the logs" same_stats "$T/sh1s" "$T/shms"
# a group in two shards (a copy of the logs under another folder: more
# repetitions of the same groups); past --exact-ops in the merge, or in
# each shard, its durations become one histogram, as in one run
cp -r "$T/m" "$T/m2"
for e in 131072 2000 100; do
	"$V" ingest --partial --exact-ops $e -o "$T/shA$e.vnr" "$T/m" &&
		"$V" ingest --partial --exact-ops $e -o "$T/shB$e.vnr" "$T/m2" &&
		"$V" stats --exact-ops $e -o "$T/shAB$e" "$T/shB$e.vnr" "$T/shA$e.vnr" &&
		"$V" stats --exact-ops $e -o "$T/one$e" "$T/m" "$T/m2" 2> /dev/null
	check "--exact-ops $e: two shards of one group each merge into the bytes of one stats over both folders ($(awk -F, 'NR > 1 { print $NF }' "$T/shAB$e/summary.csv" | sort | uniq -c | tr -s ' \n' ' '))" \
		same_stats "$T/one$e" "$T/shAB$e"
done
check "--exact-ops 2000: some groups exact, some histograms, so both merges are tested" \
	test "$(awk -F, 'NR > 1 { print $NF }' "$T/shAB2000/summary.csv" | sort -u | wc -l)" = 2
check "--exact-ops 100: the shards hold histograms" grep -q '^histogram,' "$T/shA100.vnr"
"$V" stats -o "$T/shx" "$T/shA131072.vnr" "$T/shA131072.vnr" 2> "$T/shx.err"
check "a shard given twice: exit 1" test $? = 1
check "a shard given twice: its repetitions are in an earlier shard too" \
	grep -q "shA131072.vnr:[0-9]*: error: repetition [0-9]* of .* is in an earlier shard too" "$T/shx.err"
check "a shard given twice: no output" test ! -e "$T/shx/summary.csv"
awk '$0 ~ /^rep,/ && ++n == 3 { exit } { print }' "$T/shA100.vnr" > "$T/cut.vnr"
"$V" stats --exact-ops 100 -o "$T/shx" "$T/cut.vnr" 2> "$T/shx.err"
check "a shard cut short (after its second repetition): exit 1, and it says so" \
	sh -c 'test $1 = 1 && grep -q "cut.vnr:[0-9]*: error: the shard stops before its end row" "$2"' - $? "$T/shx.err"
awk -F, 'BEGIN { OFS = "," } $1 == "fig" && !d { $3 = "x"; d = 1 } { print }' "$T/shA100.vnr" > "$T/badfig.vnr"
"$V" stats --exact-ops 100 -o "$T/shx" "$T/badfig.vnr" 2> "$T/shx.err"
check "a shard with a bad figure: exit 1 at its line and column" \
	sh -c 'test $1 = 1 && grep -q "badfig.vnr:[0-9]*:[0-9]*: error: .x.: expected its operations" "$2"' - $? "$T/shx.err"
awk -F, 'BEGIN { OFS = "," } $1 == "buckets" && !d { $3 = $3 + 1; d = 1 } { print }' "$T/shA100.vnr" > "$T/badb.vnr"
"$V" stats --exact-ops 100 -o "$T/shx" "$T/badb.vnr" 2> "$T/shx.err"
check "a shard whose buckets do not add up to its histogram's count: exit 1" \
	sh -c 'test $1 = 1 && grep -q "badb.vnr:[0-9]*: error: the buckets before this row count" "$2"' - $? "$T/shx.err"
"$V" stats -o "$T/shx" "$T/shA100.vnr" 2> "$T/shx.err"
check "a shard of another --exact-ops: exit 1, and which" \
	sh -c 'test $1 = 1 && grep -q "made with --exact-ops 100, stats has 131072: give stats the same" "$2"' - $? "$T/shx.err"
"$V" stats -o "$T/shx" "$T/shA131072.vnr" "$T/m" > /dev/null 2>&1
check "a shard beside a log: a usage error" test $? = 2
"$V" ingest --partial --keep-going -o "$T/shx.vnr" "$T/m" > /dev/null 2>&1
check "ingest --partial --keep-going: a usage error" test $? = 2
"$V" ingest --exact-ops 10 -o "$T/shx.csv" "$T/m" > /dev/null 2>&1
check "ingest --exact-ops without --partial: a usage error" test $? = 2

# 6c. repetition rows (another engine's, or a reps.csv) into stats: every
#     repetition-level figure as from the operations, the operation-level
#     ones empty; and rank on them ranks as on the operations
mkdir -p "$T/rr" "$T/rr2"
cp "$T/sh1/reps.csv" "$T/rr/in.csv"
"$V" stats -o "$T/rr" "$T/rr/in.csv"
check "stats on reps.csv rows: exit 0" test $? = 0
check "stats on reps.csv rows: $(python3 tests/reps_rows_check.py "$T/sh1" "$T/rr" | tail -1)" \
	python3 tests/reps_rows_check.py "$T/sh1" "$T/rr"
check "stats on repetition rows: hist.csv has no rows (no operations)" test "$(wc -l < "$T/rr/hist.csv")" = 1
# DuckDB's column order (rep first, direction before workload), fewer
# columns: the labels are put in ingest's order, the files the same
awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	{ print $c["rep"], $c["mem_mb"], $c["netmode"], $c["vm"], $c["direction"], $c["workload"], $c["file"], $c["ops"], $c["failed_ops"], $c["wall_us"], $c["busy_us"], $c["bytes"], $c["op_mean_us"], $c["op_p50_us"], $c["op_p99_us"], $c["start_us"] }' \
	"$T/sh1/reps.csv" > "$T/rr2/duck.csv"
"$V" stats -o "$T/rr2" "$T/rr2/duck.csv" &&
	"$V" rank -q --bootstrap 200 -o "$T/rr2" "$T/rr2" > /dev/null && "$V" rank -q --bootstrap 200 -o "$T/sh1" "$T/sh1" > /dev/null
check "stats on rows in DuckDB's column order: $(python3 tests/reps_rows_check.py "$T/sh1" "$T/rr2" | tail -1)" \
	python3 tests/reps_rows_check.py "$T/sh1" "$T/rr2"
check "rank on repetition rows: ranks.csv and scores.csv as from the operations" \
	sh -c 'cmp -s "$1/ranks.csv" "$2/ranks.csv" && cmp -s "$1/scores.csv" "$2/scores.csv"' - "$T/sh1" "$T/rr2"
"$V" report "$T/rr2" > /dev/null 2>&1
check "the report of repetition rows says the operation-level figures are not known" \
	grep -q "computed from repetition rows (stats REPS.csv: another engine's, or a reps.csv), without the operations" "$T/rr2/report.xhtml"
"$V" stats --steady -o "$T/rrx" "$T/rr2/duck.csv" > /dev/null 2>&1
check "stats --steady on repetition rows: a usage error" test $? = 2
awk -F, 'BEGIN { OFS = "," } NR == 3 { $9 = $8 + 1 } { print }' "$T/rr2/duck.csv" > "$T/rrbad.csv"
"$V" stats -o "$T/rrx" "$T/rrbad.csv" 2> "$T/rrx.err"
check "repetition rows: more failed than operations is refused at its line and column" \
	sh -c 'test $1 = 1 && grep -q "rrbad.csv:3:[0-9]*: error: [0-9]* failed of [0-9]* operations" "$2"' - $? "$T/rrx.err"
{ cat "$T/rr2/duck.csv"; sed -n 2p "$T/rr2/duck.csv"; } > "$T/rrdup.csv"
"$V" stats -o "$T/rrx" "$T/rrdup.csv" 2> "$T/rrx.err"
check "repetition rows: a repetition twice is refused" \
	sh -c 'test $1 = 1 && grep -q "rrdup.csv:[0-9]*: error: repetition [0-9]* of .* again" "$2"' - $? "$T/rrx.err"
cut -d, -f1-10 "$T/rr2/duck.csv" > "$T/rrcut.csv"
"$V" stats -o "$T/rrx" "$T/rrcut.csv" 2> "$T/rrx.err"
check "repetition rows without op_p50_us: refused, naming the columns needed" \
	sh -c 'test $1 = 1 && grep -q "rrcut.csv:1: error: repetition rows need the columns" "$2"' - $? "$T/rrx.err"

# 7. rank: the full-size matrix (as the demo makes it) gives Table 3 of
#    mission.md in the by-vm view, with every rank proven (no ties), and
#    internal and external rankings that differ
"$GEN" --seed 2007 -o "$T/full" && "$V" ingest -o "$T/full.csv" "$T/full" &&
	"$V" stats -o "$T/fst" "$T/full.csv" && "$V" rank --by vm --bootstrap 200 --max-failed 0.0001 "$T/fst" > "$T/rank.out"
check "ingest, stats and rank on the full matrix" test $? = 0
# operation quantiles past --exact-ops: from the log-linear histogram,
# within 1/512 of the exact ones; everything else as exact
"$V" stats --exact-ops 0 -o "$T/sk0" "$T/full.csv" && "$V" stats --exact-ops 100 -o "$T/sk1" "$T/full.csv" &&
	"$V" run -q --exact-ops 100 -o "$T/skr" "$T/full" > /dev/null
check "stats --exact-ops 100 against every duration kept: $(python3 tests/sketch_check.py "$T/sk0" "$T/sk1" | tail -1)" \
	sh -c 'python3 tests/sketch_check.py "$1" "$2" | grep -q ", 48 groups from the histogram, 72 hist.csv groups$"' - "$T/sk0" "$T/sk1"
check "stats by default keeps every duration of the matrix's groups (op_quantiles exact) and writes what --exact-ops 0 writes" \
	sh -c 'test "$(awk -F, "NR > 1 { print \$NF }" "$1/summary.csv" | sort -u)" = exact && cmp -s "$1/summary.csv" "$2/summary.csv" && cmp -s "$1/hist.csv" "$2/hist.csv"' - "$T/fst" "$T/sk0"
check "run --exact-ops 100 writes the summary.csv and hist.csv stats --exact-ops 100 writes" \
	sh -c 'cmp -s "$1/summary.csv" "$2/summary.csv" && cmp -s "$1/hist.csv" "$2/hist.csv"' - "$T/sk1" "$T/skr"
# bounded memory: past --hold-ops operations in memory, the repetitions of
# the files read are computed when the next file starts and their
# operations let go; the figures are those of holding every operation
# (one thread, or two halves merged), in a fraction of the memory
peak() { python3 -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if rc == 0 else -1)' "$@"; }
H0=$(peak "$V" stats --hold-ops 0 --threads 1 -o "$T/ho0" "$T/full.csv")
H1=$(peak "$V" stats --hold-ops 1 --threads 1 -o "$T/ho1" "$T/full.csv")
"$V" stats --hold-ops 1000 --threads 2 -o "$T/ho2" "$T/full.csv"
"$V" stats --hold-ops 0 --steady -o "$T/hs0" "$T/full.csv"
"$V" stats --hold-ops 1 --steady --threads 1 -o "$T/hs1" "$T/full.csv"
"$V" stats --hold-ops 1 --steady --threads 2 -o "$T/hs2" "$T/full.csv"
same3() { for d in "$2" "$3"; do for f in reps summary hist; do cmp -s "$1/$f.csv" "$d/$f.csv" || return 1; done; done; }
check "stats --hold-ops 1 and 1000 (one thread, two halves) write what --hold-ops 0 writes" same3 "$T/ho0" "$T/ho1" "$T/ho2"
check "stats --steady --hold-ops 1 (one thread, two halves) writes what --hold-ops 0 writes" same3 "$T/hs0" "$T/hs1" "$T/hs2"
check "stats --hold-ops 1 peaks at under half the memory of --hold-ops 0 ($H1 vs $H0 KB)" \
	test "$H1" -gt 0 -a "$H0" -gt 0 -a "$((H1 * 2))" -lt "$H0"
# a samples.csv whose repetition's rows are apart (ten rows moved to the
# end): read again holding everything, with a note, and the same figures
{ head -n 5000 "$T/full.csv"; sed -n '5011,$p' "$T/full.csv"; sed -n '5001,5010p' "$T/full.csv"; } > "$T/scat.csv"
"$V" stats --hold-ops 1 -o "$T/sc1" "$T/scat.csv" 2> "$T/sc1.err"
check "stats, a repetition's rows apart past --hold-ops: exit 0" test $? = 0
check "stats, a repetition's rows apart: a note says they are read again, held" \
	grep -q "scat.csv: note: a repetition's rows are not together (rows of other files between them): read again with every operation held" "$T/sc1.err"
"$V" stats --hold-ops 0 -o "$T/sc0" "$T/scat.csv" 2> "$T/sc0.err"
check "stats, a repetition's rows apart: the figures of --hold-ops 0, and no note there" \
	sh -c 'for f in reps summary hist; do cmp -s "$1/$f.csv" "$2/$f.csv" || exit 1; done; ! test -s "$3"' - "$T/sc0" "$T/sc1" "$T/sc0.err"
"$V" run -q --hold-ops 1 -o "$T/hr1" "$T/full" > /dev/null && "$V" run -q --hold-ops 0 -o "$T/hr0" "$T/full" > /dev/null
check "run --hold-ops 1 writes what run --hold-ops 0 writes (stats, ranks, scores)" \
	sh -c 'for f in reps summary hist ranks scores; do cmp -s "$1/$f.csv" "$2/$f.csv" || exit 1; done' - "$T/hr0" "$T/hr1"
check "stats --hold-ops -1: a usage error" sh -c '"$1" stats --hold-ops -1 -o "$2" "$3" > /dev/null 2>&1; test $? = 2' - "$V" "$T/ho9" "$T/full.csv"
# the pooled lag-1 autocorrelation (summed per repetition, so the same
# whichever order repetitions close in) against math.fsum's
"$GEN" --seed 5 --web-reps 4 --file-reps 3 --web-ops 300 -o "$T/lagm" && "$V" ingest -o "$T/lagm.csv" "$T/lagm" 2> /dev/null &&
	"$V" stats --hold-ops 1 -o "$T/lagst" "$T/lagm.csv"
check "stats: lag1_r as math.fsum recomputes it ($(python3 tests/lag1_check.py "$T/lagm.csv" "$T/lagst/summary.csv" | tail -1))" \
	python3 tests/lag1_check.py "$T/lagm.csv" "$T/lagst/summary.csv"
check "stats --exact-ops x: a usage error" sh -c '"$1" stats --exact-ops x -o "$2" "$3" > /dev/null 2>&1; test $? = 2' - "$V" "$T/sk9" "$T/full.csv"
# (quoted fields such as "VirtualBox (NAT, 512)" are blanked before
# splitting; the name is rebuilt from the factor columns)
awk '{ gsub(/"[^"]*"/, "Q") } NR == 1 { n = split($0, h, ","); for (i = 1; i <= n; i++) c[h[i]] = i; next }
	{ split($0, f, ",") }
	f[1] == "by-vm" { k = f[2] " " f[3]
		line[k] = line[k] (line[k] == "" ? "" : " | ") f[c["vm"]] " (" f[c["netmode"]] ", " f[c["mem_mb"]] ") [" f[c["shared"]] "]" }
	END { for (k in line) print k ": " line[k] }' "$T/fst/ranks.csv" | sort > "$T/t3.got"
cat > "$T/t3.want" <<'WANT'
file-100m external: VirtualBox (NAT, 512) [1] | coLinux (TAP, 512) [2] | QEMU (TAP, 512) [3]
file-100m internal: VirtualBox (NAT, 512) [1] | QEMU (NAT, 512) [2] | coLinux (TAP, 512) [3]
file-1k external: VirtualBox (NAT, 512) [1] | coLinux (TAP, 512) [2] | QEMU (TAP, 512) [3]
file-1k internal: VirtualBox (NAT, 512) [1] | QEMU (NAT, 512) [2] | coLinux (TAP, 512) [3]
web external: VirtualBox (NAT, 256) [1] | coLinux (NAT, 256) [2] | QEMU (TAP, 256) [3]
web internal: coLinux (NAT, 256) [1] | VirtualBox (NAT, 256) [2] | QEMU (TAP, 256) [3]
WANT
if cmp -s "$T/t3.want" "$T/t3.got"; then ok; else bad "rank: Table 3 in the by-vm view"; diff "$T/t3.want" "$T/t3.got"; fi
# the cells are ranked on two threads by default: one gives the same files
mkdir -p "$T/fst1" && cp "$T/fst/reps.csv" "$T/fst/summary.csv" "$T/fst1/" &&
	"$V" rank --threads 1 --by vm --bootstrap 200 --max-failed 0.0001 "$T/fst1" > "$T/rank1.out"
check "rank --threads 1 = two threads: the same five files and verdicts, byte for byte" \
	sh -c 'for f in pairs ranks kendall scores sensitivity; do cmp -s "$1/$f.csv" "$2/$f.csv" || exit 1; done; cmp -s "$3" "$4"' - "$T/fst" "$T/fst1" "$T/rank.out" "$T/rank1.out"
check "rank --threads 0, 65 and x: usage errors" sh -c 'for n in 0 65 x -2 2x; do "$1" rank --threads $n "$2" > /dev/null 2>&1; test $? = 2 || exit 1; done' - "$V" "$T/fst1"
# the same orderings in every view: the order in which the VMs first
# appear, reading a view's rows in rank order
awk '{ gsub(/"[^"]*"/, "Q") } { split($0, f, ",") }
	f[1] == "internal" || f[1] == "external" || f[1] == "traditional" {
		k = f[1] " " f[2] " " f[3]; if (!((k, f[6]) in seen)) { seen[k, f[6]] = 1; o[k] = o[k] (o[k] == "" ? "" : " | ") f[6] } }
	END { for (k in o) print k ": " o[k] }' "$T/fst/ranks.csv" | sort > "$T/views.got"
cat > "$T/views.want" <<'WANT'
external file-100m external: VirtualBox | coLinux | QEMU
external file-1k external: VirtualBox | coLinux | QEMU
external web external: VirtualBox | coLinux | QEMU
internal file-100m internal: VirtualBox | QEMU | coLinux
internal file-1k internal: VirtualBox | QEMU | coLinux
internal web internal: coLinux | VirtualBox | QEMU
traditional file-100m external: VirtualBox | coLinux | QEMU
traditional file-1k external: VirtualBox | coLinux | QEMU
traditional web external: VirtualBox | coLinux | QEMU
WANT
if cmp -s "$T/views.want" "$T/views.got"; then ok; else bad "rank: Table 3 orderings in the internal, external and traditional views"; diff "$T/views.want" "$T/views.got"; fi
check "every cell ranks 12 configurations in the internal/external views" \
	test "$(awk -F, '$1 == "internal" || $1 == "external"' "$T/fst/ranks.csv" | wc -l)" = 72
check "the traditional view ranks the external cells only" \
	test "$(awk -F, '$1 == "traditional" && $3 != "external"' "$T/fst/ranks.csv" | wc -l)" = 0 -a \
	"$(awk -F, '$1 == "traditional"' "$T/fst/ranks.csv" | wc -l)" = 36
check "internal and external rankings differ in every workload (kendall.csv)" \
	test "$(awk -F, 'NR > 1 && $3 < 1 && $5 != ""' "$T/fst/kendall.csv" | wc -l)" = 3
# Kendall's p, recomputed here: the exact two-sided p of R's cor.test
# (exact = TRUE) from the generating function prod_m (1 + x + ... + x^(m-1))
# of the concordant-pair count, with integer counts, over the internal
# and external means of summary.csv
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["data"] == "all" { r[$4, $5, $1 " " $2 " " $3] = $h["mean"]; k[$4, $1 " " $2 " " $3] = 1; w[$4] = 1 }
	END {
		for (wl in w) {
			n = 0; c = 0
			for (kk in k) { split(kk, q, SUBSEP); if (q[1] == wl) { n++; xi[n] = r[wl, "internal", q[2]]; xe[n] = r[wl, "external", q[2]] } }
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) c += ((xi[i] - xi[j]) * (xe[i] - xe[j]) > 0)
			delete f; f[0] = 1; top = 0
			for (m = 2; m <= n; m++) { delete g; for (a = 0; a <= top; a++) for (b = 0; b < m; b++) g[a + b] += f[a]; top += m - 1; delete f; for (a = 0; a <= top; a++) f[a] = g[a] }
			tot = 0; for (a = 0; a <= top; a++) tot += f[a]
			lo = 0; for (a = 0; a <= c; a++) lo += f[a]; hi = 0; for (a = c; a <= top; a++) hi += f[a]
			p = 2 * (c > top / 2 ? hi : lo) / tot; if (p > 1) p = 1
			printf "%s %d %.10f\n", wl, n, p
		}
	}' "$T/fst/summary.csv" | sort > "$T/kendall.want"
awk -F, '{ gsub(/"[^"]*"/, "Q") } NR > 1 && $6 == "exact" { printf "%s %d %.10f\n", $1, $2, $4 }' "$T/fst/kendall.csv" | sort > "$T/kendall.got"
if [ -s "$T/kendall.want" ] && cmp -s "$T/kendall.want" "$T/kendall.got"; then ok; else bad "kendall.csv: exact p-values = the generating-function recomputation"; diff "$T/kendall.want" "$T/kendall.got"; fi
mkdir -p "$T/kx"
"$V" stats -o "$T/kx" fixtures/rank/crossover/samples.csv > /dev/null && "$V" rank -o "$T/kx" "$T/kx" > /dev/null &&
	"$V" report -o "$T/kx" "$T/kx" > /dev/null
check "Kendall at n = 2: no p-value in kendall.csv" test "$(cut -d, -f2,4 "$T/kx/kendall.csv" | tail -n +2)" = "2,"
check "Kendall at n = 2: the report says there are too few to test, with or without --by" \
	grep -q "ranking of all 2 configurations is -1 (too few configurations to test)" "$T/kx/report.xhtml"
check "pairs.csv holds every pair of every cell (6 x 66), of the by-vm view (6 x 3) and of the scores (4 scopes x 66)" \
	test "$(awk -F, 'NR > 1 { n[$1 == "scores" ? "s" : "c"]++ } END { print n["c"] "/" n["s"] }' "$T/fst/pairs.csv")" = 414/264

# weighted scores: the ranking does not depend on the reference
sed 's/^reference .*/reference vm=coLinux netmode=TAP mem_mb=512/' fixtures/weights/example.txt > "$T/w2.txt"
mkdir -p "$T/r1" "$T/r2"
"$V" rank --weights fixtures/weights/example.txt --bootstrap 500 --max-failed 0.0001 -o "$T/r1" "$T/fst" > /dev/null &&
	"$V" rank --weights "$T/w2.txt" --bootstrap 500 --max-failed 0.0001 -o "$T/r2" "$T/fst" > /dev/null
check "rank with two references" test $? = 0
overall() { awk '{ gsub(/"[^"]*"/, "Q") } /^overall,/' "$1" | cut -d, -f2-4,6,9-12; }
check "the overall ranking is the same whatever the reference" \
	test "$(overall "$T/r1/scores.csv" | cut -d, -f1-3,5-8)" = "$(overall "$T/r2/scores.csv" | cut -d, -f1-3,5-8)"
# ratios of scores do not depend on it either: S_c / S_first, both ways
ratios() { overall "$1" | awk -F, 'NR == 1 { b = $4 } { printf "%s,%s,%s %.9f\n", $1, $2, $3, $4 / b }'; }
check "score ratios are the same whatever the reference" test "$(ratios "$T/r1/scores.csv")" = "$(ratios "$T/r2/scores.csv")"
check "the reference scores exactly 1" \
	test "$(overall "$T/r2/scores.csv" | awk -F, '$1 == 512 && $2 == "TAP" && $3 == "coLinux" { print $4 }')" = 1

# weights as the user writes them: percentages are the fractions they
# say; importance weights that do not sum to 1 are rescaled (warned), so
# 2 : 1.2 : 0.8 scores as 0.5 : 0.3 : 0.2; --share wins over the file
scores_only() { awk '{ gsub(/"[^"]*"/, "Q") } { print }' "$1" | cut -d, -f1-8; }
sed 's/^share web 0.2 .*/share web 20%/; s/^weight web 0.5/weight web 2/; s/^weight file-1k 0.3/weight file-1k 120%/; s/^weight file-100m 0.2/weight file-100m 0.8/' \
	fixtures/weights/example.txt > "$T/w3.txt"
mkdir -p "$T/r3" "$T/r4" "$T/r5"
"$V" rank --weights "$T/w3.txt" --bootstrap 0 --max-failed 0.0001 -o "$T/r3" "$T/fst" > "$T/r3.out" 2> "$T/r3.err"
check "weights 2, 120%, 0.8: rank succeeds" test $? = 0
check "weights that sum to 4: one warning says the sum and the rescaling" \
	test "$(grep -c "w3.txt: warning: the weights sum to 4, not 1: each is divided by it" "$T/r3.err")" = 1
"$V" rank --weights fixtures/weights/example.txt --bootstrap 0 --max-failed 0.0001 -o "$T/r4" "$T/fst" > /dev/null 2>&1
check "20% and rescaled weights score exactly as 0.2 and 0.5 : 0.3 : 0.2 (scores.csv, but for the weights line)" \
	test -s "$T/r4/scores.csv" -a "$(scores_only "$T/r3/scores.csv")" = "$(scores_only "$T/r4/scores.csv")"
check "scores.csv's weights line says they were rescaled" grep -q "summed to 4: rescaled to 1" "$T/r3/scores.csv"
sed 's/^share web 0.2 .*/share web 0.9/' fixtures/weights/example.txt > "$T/w4.txt"
"$V" rank --weights "$T/w4.txt" --share web=0.2 --bootstrap 0 --max-failed 0.0001 -o "$T/r5" "$T/fst" > /dev/null 2>&1
check "--share web=0.2 over a file's 0.9 scores as the file with 0.2" \
	test -s "$T/r5/scores.csv" -a "$(scores_only "$T/r5/scores.csv")" = "$(scores_only "$T/r4/scores.csv")"
check "scores.csv's weights line names the --share" grep -q "web share 0.2 (--share)" "$T/r5/scores.csv"
"$V" rank --weights "$T/w4.txt" --share web=20 -o "$T/r5" "$T/fst" > /dev/null 2> "$T/r6.err"
check "--share web=20 is refused (exit 2), never read as 20%" \
	test $? = 2 -a "$(grep -c "share 'web=20': outside 0..1 (a share is a fraction from 0 to 1, or a percentage with its sign: 20%)" "$T/r6.err")" = 1
"$V" rank --share nosuch=0.2 -o "$T/r5" "$T/fst" > /dev/null 2> "$T/r6.err"
check "--share of a workload the data lack is an error naming the known ones" \
	test $? = 1 -a "$(grep -c "share 'nosuch=0.2': unknown workload (the data have: file-100m, file-1k, web)" "$T/r6.err")" = 1
# the what-if table: at each p, the best by the score test is what rank
# says of its weighted score when every share in the file is p
"$V" rank --weights fixtures/weights/example.txt --shares 0,25%,0.5,0.75,1 --bootstrap 0 --max-failed 0.0001 -q -o "$T/r5" "$T/fst" > "$T/whatif.out" 2>&1
check "--shares prints one line per share, even with -q" \
	test "$(grep -c '^  p = ' "$T/whatif.out")" = 5
agree=0
for sh in 0 0.25 0.5 0.75 1; do
	sed "s/^share \([^ ]*\) .*/share \1 $sh/" fixtures/weights/example.txt > "$T/wp.txt"
	line=$("$V" rank --weights "$T/wp.txt" --bootstrap 0 --max-failed 0.0001 -o "$T/r5" "$T/fst" 2>/dev/null | grep '^weighted score')
	w=$(grep "^  p = $sh " "$T/whatif.out")
	case "$line" in
	*"best: "*) best=${line#*best: }; best=${best% (*}
		[ "$w" = "  p = $(printf '%-5s' $sh) best: $best (better than every other one by the tests)" ] && agree=$((agree + 1)) ;;
	*"tied at the top: "*) set=${w#*tied at the top: }; set=${set% (the first has*}
		case "$line" in *"tied at the top: $set ("*) agree=$((agree + 1)) ;; esac ;;
	esac
done
check "the what-if line at each of 5 shares names what rank's weighted score says with every share at it ($agree of 5)" test "$agree" = 5
"$V" rank --shares 0,1.5 -o "$T/r5" "$T/fst" > /dev/null 2> "$T/r6.err"
check "--shares with 1.5 is refused (exit 2), naming the item" \
	test $? = 2 -a "$(grep -c "shares '0,1.5': item 2 '1.5': outside 0..1" "$T/r6.err")" = 1

# the report: valid XHTML 1.0 Strict, byte-identical when made again
DTD=/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd
"$V" report "$T/fst"
check "report on the full matrix" test $? = 0
check "report.xhtml is valid XHTML 1.0 Strict (xmllint --dtdvalid)" \
	xmllint --noout --dtdvalid "$DTD" "$T/fst/report.xhtml"
cp "$T/fst/report.xhtml" "$T/report.first"
"$V" report "$T/fst"
check "the same inputs give a byte-identical report" cmp -s "$T/report.first" "$T/fst/report.xhtml"
check "Kendall at n = 12: the report names the exact test" \
	test "$(grep -o 'exact permutation test' "$T/fst/report.xhtml" | wc -l)" = 3
check "the report names the winners of Table 3" \
	grep -q '<span class="winner">coLinux (NAT, 256)</span> is the fastest' "$T/fst/report.xhtml"
check "the report: at equal shares web's two leaders are tied by the score test, and where the point estimates cross" \
	grep -q '<strong>web</strong>, at your internal share of 0.5: <span class="tie">coLinux (NAT, 256) = VirtualBox (NAT, 256)</span> cannot be told apart by the score test. The point estimates change leader at 0.4515' "$T/fst/report.xhtml"
# hostile labels are text, never markup, and pick no path
mkdir -p "$T/hostile"
awk -F, 'NR == 1 { print; next } { gsub(/^A,/, "<script>alert(1)</script>,"); gsub(/^B,/, "../../etc/x,"); print }' \
	fixtures/rank/three/samples.csv > "$T/hostile/samples.csv"
( cd "$T" && find . -type f ! -name 'files.*' | sort ) > "$T/files.before"
"$V" stats "$T/hostile/samples.csv" && "$V" rank --bootstrap 200 --by vm "$T/hostile" > /dev/null &&
	"$V" report --note '<img src=x onerror=alert(2)> & a note' --note 'second note' "$T/hostile"
check "stats, rank and report take hostile labels" test $? = 0
check "hostile report is valid XHTML" xmllint --noout --dtdvalid "$DTD" "$T/hostile/report.xhtml"
check "a label never becomes markup" test "$(grep -c '<script' "$T/hostile/report.xhtml")" = 0
check "the label is there as escaped text" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/hostile/report.xhtml"
check "the path-like label is there as text" grep -q '\.\./\.\./etc/x' "$T/hostile/report.xhtml"
check "--note: two paragraphs, as text, under 'About the data', after the answer" \
	grep -q '<h2>The answer</h2>.*<div class="notes" id="notes"><h2>About the data</h2><p>&lt;img src=x onerror=alert(2)&gt; &amp; a note</p><p>second note</p></div>' "$T/hostile/report.xhtml"
check "--note never becomes markup" test "$(grep -c '<img src=x' "$T/hostile/report.xhtml")" = 0
( cd "$T" && find . -type f ! -name 'files.*' | sort ) > "$T/files.after"
check "nothing written outside the output folder" \
	test "$(comm -13 "$T/files.before" "$T/files.after" | grep -v '^\./hostile/' | wc -l)" = 0
# charts, checked through their layouts, not their pixels
"$V" report --dump-layout "$T/fst" > "$T/layout.txt"
check "report --dump-layout" test $? = 0
check "per workload means, share and 3 histograms, per cell factors and ranks: 27" \
	test "$(grep -c '^chart ' "$T/layout.txt")" = 27
check "every axis has 2 to 9 ticks, from its minimum to its maximum" \
	test "$(awk '/^  (axis|xaxis) / { split($2, a, "="); split($3, b, "="); split($5, t, "="); n = split(t[2], v, ",")
		if ((n < 2 || n > 9 || v[1] != a[2] || v[n] != b[2]) && $0 !~ /ticks=1,2,3/) print }' "$T/layout.txt" | wc -l)" = 0
check "every bar chart's value axis starts at zero" \
	test "$(awk '/^chart / { bars = /kind=bars/ } bars && /^  axis / && $2 != "min=0"' "$T/layout.txt" | wc -l)" = 0
overlaps=$(awk '/^chart / { n = 0 } /^  label / {
	for (i = 2; i <= 5; i++) { split($i, kv, "="); v[kv[1]] = kv[2] + 0 }
	for (k = 0; k < n; k++)
		if (v["x"] < X[k] + W[k] && X[k] < v["x"] + v["w"] && v["y"] < Y[k] + H[k] && Y[k] < v["y"] + v["h"]) bad++
	X[n] = v["x"]; Y[n] = v["y"]; W[n] = v["w"]; H[n] = v["h"]; n++ }
	END { print bad + 0 }' "$T/layout.txt")
check "no two labels of a chart overlap ($overlaps do)" test "$overlaps" = 0
# one colour per configuration (and per factor value) across the report:
# every chart draws a name in one style, and no two names share one
styles=$(awk '/^chart / { k = $3 } /^  style / && $0 !~ /"(internal|external)"$/ {
	n = $0; sub(/^[^"]*"/, "", n); sub(/"$/, "", n); st = $3 " " $4
	if (!((k, n) in seen)) { seen[k, n] = 1; uses[k, n] = st }
	else if (uses[k, n] != st) bad++
	if (!((k, st) in owner)) owner[k, st] = n; else if (owner[k, st] != n) bad++
	names[k, n] = 1 }
	END { for (x in names) c++; print c "/" bad + 0 }' "$T/layout.txt")
check "each of the 12 configurations and 3 vm values has one colour in every chart, its own ($styles: names/clashes)" \
	test "$styles" = 15/0
check "the sensitivity legends list the configurations in one report-wide order (sorted names)" \
	test "$(awk '/^chart / { lines = /kind=lines/; if (lines) { n++; o[n] = "" } } lines && /^  style / { o[n] = o[n] $0 "|" }
		END { for (i = 2; i <= n; i++) if (o[i] != o[1]) bad++; print n ":" bad + 0 }' "$T/layout.txt")" = 3:0
check "beyond 8 colours the second channel: configurations 9-12 dashed, 1-8 solid" \
	test "$(awk '/^chart / { lines = /kind=lines/ } lines && /^  style / { split($2, x, " "); print $2, $4 }' "$T/layout.txt" | sort -un | awk '{ print ($1 <= 8) == ($2 == "dash=0") }' | sort -u)" = 1
# shared scales: a workload's distributions on one time axis; the
# by-factor bars of its internal and external cells on one value axis
check "each workload's 3 distributions share one time axis (3 workloads)" \
	test "$(awk '/^chart / { hist = /kind=hist/; t = $0; sub(/^[^"]*"/, "", t); sub(/,.*/, "", t) }
		hist && /^  xaxis / { ax[t] = ax[t] "|" $0; n[t]++ }
		END { for (w in n) { split(ax[w], a, "|"); ok = n[w] == 3; for (i = 3; i <= n[w] + 1; i++) ok = ok && a[i] == a[2]; good += ok }; print good }' "$T/layout.txt")" = 3
check "each workload's internal and external factor bars share one value axis (3 workloads)" \
	test "$(awk '/^chart / { f = /kind=factors/ || /-factors.png/; t = $0; sub(/^[^"]*"/, "", t); sub(/,.*/, "", t) }
		f && /^  axis / { ax[t] = ax[t] "|" $0; n[t]++ }
		END { for (w in n) { split(ax[w], a, "|"); good += n[w] == 2 && a[2] == a[3] }; print good }' "$T/layout.txt")" = 3
check "the report says so under the charts" \
	test "$(grep -o 'On one time axis with the workload.s 2 other distributions' "$T/fst/report.xhtml" | wc -l)" = 9 -a \
	     "$(grep -o 'so that the two directions compare by eye' "$T/fst/report.xhtml" | wc -l)" = 6
check "12 configurations fit a bar chart: 3 x (12 vertical labels + axis) + 6 x (4 + axis)" \
	test "$(awk '/^chart / { bars = /kind=bars/ } bars && /angle=-90/' "$T/layout.txt" | wc -l)" = 69
pngs_ok=0
for f in "$T"/fst/charts/*.png; do
	w=$(od -An -tu1 -j16 -N4 "$f" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	name=charts/$(basename "$f")
	want=$(awk -v n="$name" '$1 == "chart" && $2 == n { split($4, s, "[=x]"); print s[2] }' "$T/layout.txt")
	[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '211PNG' ] && [ "$w" = "$want" ] && pngs_ok=$((pngs_ok + 1))
done
check "every chart is a PNG of the width its layout says (27)" test "$pngs_ok" = 27
svgs_ok=0
for f in "$T"/fst/charts/*.svg; do
	png=${f%.svg}.png
	w=$(od -An -tu1 -j16 -N4 "$png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	h=$(od -An -tu1 -j20 -N4 "$png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	xmllint --noout "$f" 2> /dev/null && grep -q "<svg [^>]*width=\"${w}px\" height=\"${h}px\"" "$f" && svgs_ok=$((svgs_ok + 1))
done
check "every chart has its SVG twin, well-formed, of its PNG's size in pixels (27)" test "$svgs_ok" = 27
check "the report shows each SVG with its PNG inside as the fallback (27)" \
	test "$(grep -o '<object data="charts/[0-9]*-[a-z]*.svg" type="image/svg+xml" width="[0-9]*" height="[0-9]*"><img src="charts/[0-9]*-[a-z]*.png"' "$T/fst/report.xhtml" |
		sed 's/.*data="\([^.]*\).svg".*src="\([^.]*\).png"/\1 \2/' | awk '$1 == $2' | wc -l)" = 27
cp -r "$T/fst/charts" "$T/charts.first"
"$V" report "$T/fst" && check "the same inputs give byte-identical charts" diff -r "$T/charts.first" "$T/fst/charts"
check "the report links every chart with its size and alt text" \
	test "$(grep -o '<img src="charts/[0-9]*-[a-z]*.png" width="[0-9]*" height="[0-9]*" alt="[^"]\{20,\}"' "$T/fst/report.xhtml" | wc -l)" = 27

# many configurations: 60 (30 values of vm x 2 netmodes), more than a
# chart can show; the report is made, every chart readable, and each
# chart that leaves configurations out says how many
mkdir -p "$T/many"
awk 'BEGIN { srand(60); print "vm,netmode,workload,direction,rep,seq,start_us,end_us,bytes,status"; t = 1000000
	for (c = 0; c < 60; c++) for (w = 0; w < 2; w++) for (d = 0; d < 2; d++) for (r = 1; r <= 4; r++) for (q = 1; q <= 3; q++) {
		dur = int((1000 + c * 37) * (d ? 1.3 : 1) * (0.95 + rand() / 10))
		printf "t%03d,%s,%s,%s,%d,%d,%d,%d,100,ok\n", int(c / 2), c % 2 ? "TAP" : "NAT", w ? "web" : "file-1k", d ? "external" : "internal", r, q, t, t + dur
		t += dur + 10 } }' > "$T/many/samples.csv"
"$V" stats "$T/many/samples.csv" && "$V" rank -q --bootstrap 0 --by vm "$T/many" &&
	"$V" report --dump-layout "$T/many" > "$T/many.layout"
check "60 configurations: the report is made" test $? = 0 -a -s "$T/many/report.xhtml"
check "60 configurations: the rank axes run 1 to 60 with a tick every 10" \
	test "$(grep -c '^  axis min=1 max=60 unit=- ticks=1,10,20,30,40,50,60$' "$T/many.layout")" = 4
check "60 configurations: no chart has overlapping labels or one past its edges, none more than 40 bars or 12 lines" \
	test "$(awk '/^chart / { n = 0; k = $3; split($4, sz, "="); split(sz[2], wh, "x") } /^  label / {
		for (i = 2; i <= 5; i++) { split($i, kv, "="); v[kv[1]] = kv[2] + 0 }
		if (v["x"] < 0 || v["y"] < 0 || v["x"] + v["w"] > wh[1] || v["y"] + v["h"] > wh[2]) bad++
		for (j = 0; j < n; j++)
			if (v["x"] < X[j] + W[j] && X[j] < v["x"] + v["w"] && v["y"] < Y[j] + H[j] && Y[j] < v["y"] + v["h"]) bad++
		X[n] = v["x"]; Y[n] = v["y"]; W[n] = v["w"]; H[n] = v["h"]; n++ }
		/^  style / && k == "kind=lines" && $2 > 12 { bad++ }
		END { print bad + 0 }' "$T/many.layout")" = 0
check "60 configurations: each means chart shows the best 40 and says 20 are left out" \
	test "$(grep -o 'This chart shows 40 of the 60 configurations (the best by internal rank); the other 20 are left out' "$T/many/report.xhtml" | wc -l)" = 2
check "60 configurations: each sensitivity chart names 12 and says the other 48 are its grey lines" \
	test "$(grep -o 'This chart names 12 of the 60 configurations that may win ([^)]*); the other 48 are the grey lines' "$T/many/report.xhtml" | wc -l)" = 2
check "60 configurations: each sensitivity chart draws 48 grey lines, its legend says so" \
	test "$(grep -c '^  muted lines=48 ' "$T/many.layout")" = 2 -a \
	"$(grep -c '^  label .*"the other 48, in grey"$' "$T/many.layout")" = 2
# the grey lines reach the worst configuration's mean (ranks.csv), at one
# end of the share axis, and the value axis holds them
for wl in file-1k web; do
	worst=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["workload"] == "'$wl'" && $h["view"] !~ /^by-/ && $h["mean"] > m { m = $h["mean"] }
		END { printf "%.1f", m }' "$T/many/ranks.csv")
	check "60 configurations: $wl's grey lines reach the worst mean, $worst us, inside the axis" \
		awk -v w="$worst" '/^chart / { on = index($0, "'$wl': expected") > 0 }
			on && /^  axis / { split($3, a, "="); ax = a[2] * 1000 }
			on && /^  muted / { split($3, b, "="); mu = b[2] }
			END { exit !(mu != "" && (mu - w) ^ 2 < 1 && ax >= mu) }' "$T/many.layout"
done
check "60 configurations: the factor charts' 16-entry legends wrap into two rows" \
	test "$(awk '/^chart / { on = $3 == "kind=bars" && index($0, "per vm") } on && /^  legend / { split($5, h, "="); if (h[2] + 0 > 30) n++ } END { print n + 0 }' "$T/many.layout")" = 4
# the by-factor charts show 16 of the 30 vm values: the same ones in both
# directions of a workload, on an axis set by what they draw
for wl in file-1k web; do
	awk '/^chart / { on = $3 == "kind=bars" && index($0, "\"'$wl', ") && index($0, "per vm") }
		on && /^  style / { print $NF }' "$T/many.layout" | sort | uniq -c > "$T/many.$wl.vms"
	check "60 configurations: $wl's factor charts draw the same 16 vm values in both directions" \
		test "$(awk '$1 == 2' "$T/many.$wl.vms" | wc -l)" = 16 -a "$(wc -l < "$T/many.$wl.vms")" = 16
	hi=$(awk -F, -v list="$(awk '{ gsub(/"/, "", $2); printf "%s ", $2 }' "$T/many.$wl.vms")" '
		BEGIN { n = split(list, l, " "); for (i = 1; i <= n; i++) want[l[i]] = 1 }
		NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["workload"] == "'$wl'" && $h["view"] !~ /^by-/ && ($h["vm"] in want) && $h["ci_hi"] > m { m = $h["ci_hi"] }
		END { print m }' "$T/many/ranks.csv")
	check "60 configurations: $wl's factor axes reach the drawn bars' top whisker, $hi us, and less than a tick more" \
		awk -v hi="$hi" '/^chart / { on = $3 == "kind=bars" && index($0, "\"'$wl', ") && index($0, "per vm") }
			on && /^  axis / { split($3, a, "="); split($5, t, "="); split(t[2], tk, ",")
				f = $4 == "unit=ms" ? 1000 : $4 == "unit=s" ? 1e6 : 1
				if (!(a[2] * f >= hi && a[2] * f - hi < (tk[2] - tk[1]) * f)) bad++; n++ }
			END { exit !(n == 2 && bad == 0) }' "$T/many.layout"
done
# Table 3 of 30 vm values is turned round to stay within the page; the
# factor tables: vm's 435 pairs per cell are left to pairs.csv (said),
# netmode's 30 x 4 cells = 120 pairs all shown
sed -n '/<div id="table3"/,/<div id="sensitivity"/p' "$T/many/report.xhtml" | sed 's/<tr>/\n<tr>/g' > "$T/many.t3"
check "60 configurations: Table 3 has a row per place (30) and a column per cell (4)" \
	test "$(grep -c '^<tr><th>Place</th><th>file-1k, external</th><th>file-1k, internal</th><th>web, external</th><th>web, internal</th></tr>' "$T/many.t3")" = 1 -a \
	"$(grep -c '^<tr><td>[0-9]*</td><td>t0[0-9][0-9] ([A-Z]*) \[[0-9]*=\{0,1\}\]</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td></tr>' "$T/many.t3")" = 30
check "60 configurations: vm (30 levels) gets no pairs table, and the report says where its pairs are" \
	grep -q '<p>vm has 30 levels: its pairs (435 per cell and combination of the others, at most) are in pairs.csv, not here' "$T/many/report.xhtml"
check "60 configurations: netmode's table has its 120 pairs, one per vm value and cell" \
	test "$(grep -c '^<tr><td>\(file-1k\|web\)</td><td>\(internal\|external\)</td><td>t0[0-9][0-9]</td><td>wall</td><td>NAT / TAP = ' "$T/many.t3")" = 120
check "60 configurations: the rank charts show all 60 rows (under the 60-row limit)" \
	test "$(grep -c '^chart .*kind=ranks size=900x1535' "$T/many.layout")" = 4
check "60 configurations: the distributions, 12 of 30 per workload, said" \
	test "$(grep -o 'This chart shows 12 of the 30 distributions' "$T/many/report.xhtml" | wc -l)" = 2

# --pairs-limit: past N eligible configurations a ranking keeps in
# pairs.csv only the pairs the report reads; 60 configurations of 3
# repetitions (3 + 3: no rank test reaches 0.05, so the normality note's
# witness is needed), ranked with every pair and with a limit of 8
mkdir -p "$T/pl0" "$T/pl8"
awk 'BEGIN { srand(61); print "vm,netmode,workload,direction,rep,seq,start_us,end_us,bytes,status"; t = 1000000
	for (c = 0; c < 60; c++) for (w = 0; w < 2; w++) for (d = 0; d < 2; d++) for (r = 1; r <= 3; r++) for (q = 1; q <= 3; q++) {
		dur = int((1000 + c * 37) * (d ? 1.3 : 1) * (0.95 + rand() / 10))
		printf "t%03d,%s,%s,%s,%d,%d,%d,%d,100,ok\n", int(c / 2), c % 2 ? "TAP" : "NAT", w ? "web" : "file-1k", d ? "external" : "internal", r, q, t, t + dur
		t += dur + 10 } }' > "$T/pl0/samples.csv"
"$V" stats "$T/pl0/samples.csv" && cp "$T/pl0/reps.csv" "$T/pl0/summary.csv" "$T/pl0/hist.csv" "$T/pl8/" &&
	"$V" rank --bootstrap 200 --by vm --pairs-limit 0 "$T/pl0" > "$T/pl0.out" 2> "$T/pl0.err" &&
	"$V" rank --bootstrap 200 --by vm --pairs-limit 8 "$T/pl8" > "$T/pl8.out" 2> "$T/pl8.err" &&
	"$V" report "$T/pl0" > /dev/null && "$V" report "$T/pl8" > /dev/null
check "--pairs-limit 8: the pairs kept are those of the rule, recomputed from ranks.csv and scores.csv ($(python3 tests/pairs_kept.py "$T/pl0" "$T/pl8" 8 | tail -1))" \
	sh -c 'python3 tests/pairs_kept.py "$1" "$2" 8 | grep -q "(8 with a normality witness)"' - "$T/pl0" "$T/pl8"
check "--pairs-limit 8: the same verdicts on the terminal and the same ranks, kendall, scores and sensitivity files as every pair" \
	sh -c 'cmp -s "$1.out" "$2.out" && for f in ranks kendall scores sensitivity; do cmp -s "$1/$f.csv" "$2/$f.csv" || exit 1; done' - "$T/pl0" "$T/pl8"
# 4 cells of C(60, 2) pairs and 4 by-vm rankings of C(30, 2)
kept=$(awk -F, 'NR > 1 && $1 != "scores"' "$T/pl8/pairs.csv" | wc -l)
check "--pairs-limit 8: rank says how many pairs it kept ($kept) of how many (4 x 1770 + 4 x 435 = 8820), and that the verdicts use all" \
	grep -q "note: pairs.csv holds $kept of the 8820 pairs of the rankings .*the verdicts come from every pair" "$T/pl8.err"
check "--pairs-limit 0: every pair, and no note" \
	test "$(awk -F, 'NR > 1 && $1 != "scores"' "$T/pl0/pairs.csv" | wc -l)" = 8820 -a ! -s "$T/pl0.err"
for sec in answer table3 sensitivity cells; do
	for d in pl0 pl8; do
		python3 -c 'import re, sys; s = open(sys.argv[1]).read(); m = re.search(r"<div id=\"" + sys.argv[2] + r"\">.*?(?=<div id=)", s, re.S); print(m.group(0) if m else "")' \
			"$T/$d/report.xhtml" "$sec" > "$T/$d.$sec"
	done
	# but for where vm's pairs are (the check below)
	sed -i 's/are not listed here, and pairs.csv holds only those the report reads (rank --pairs-limit; 0 writes them all);/are in pairs.csv, not here;/' "$T/pl8.$sec"
	check "--pairs-limit 8: the report's $sec section is the one of every pair" \
		sh -c 'test -s "$1" && cmp -s "$1" "$2"' - "$T/pl0.$sec" "$T/pl8.$sec"
done
check "--pairs-limit 8: the report says pairs.csv holds only the pairs it reads" \
	grep -q '<p>vm has 30 levels: its pairs (435 per cell and combination of the others, at most) are not listed here, and pairs.csv holds only those the report reads (rank --pairs-limit; 0 writes them all)' "$T/pl8/report.xhtml"
check "--pairs-limit x: a usage error" sh -c '"$1" rank --pairs-limit x "$2" > /dev/null 2>&1; test $? = 2' - "$V" "$T/pl8"

# run: every stage in one process gives the files the stages give
"$V" run -o "$T/run" --by vm --bootstrap 200 --max-failed 0.0001 "$T/full" > "$T/run.out"
check "run on the full matrix prints the report's path last" test "$(tail -1 "$T/run.out")" = "$T/run/report.xhtml"
check "run says on the terminal what rank decided" cmp -s "$T/rank.out" "$(sed '$d' "$T/run.out" > "$T/run.answer"; echo "$T/run.answer")"
check "the terminal names Table 3's web internal winner as proven" \
	grep -q '^web, internal (wall time, lower is better): fastest: coLinux (NAT, 256), mean .*, proven faster than every other one; [0-9.]*x \[[0-9.]*, [0-9.]*\] faster than the next, [A-Za-z]* ([A-Z]*, [0-9]*)$' "$T/run.out"
# "Nx [lo, hi] faster than the next, X": pairs.csv's ratio of the winner
# and X and its Fieller interval (the next's mean over the winner's)
line=$(grep '^web, internal (wall time' "$T/run.out")
next=$(echo "$line" | sed -n 's/.* faster than the next, \(.*\)$/\1/p')
said=$(echo "$line" | sed -n 's/.*; \([0-9.]*\)x \[\([0-9.]*\), \([0-9.]*\)\] faster than the next.*/\1 \2 \3/p')
want=$(gawk -v FPAT='([^,]*)|("[^"]*")' -v n="$next" 'NR > 1 && $1 == "internal" && $2 == "web" {
	for (i = 1; i <= NF; i++) gsub(/"/, "", $i)
	if ($4 == "coLinux (NAT, 256)" && $5 == n) { r = 1 / $10; lo = 1 / $12; hi = 1 / $11 }
	if ($5 == "coLinux (NAT, 256)" && $4 == n) { r = $10; lo = $11; hi = $12 }
} END { printf "%.3g %.3g %.3g", r, lo, hi }' "$T/run/pairs.csv")
check "the winner's margin over the next ($said) is pairs.csv's ratio and interval ($want, to 3 digits)" \
	test -n "$said" -a "$said" = "$want"
# the report's answer gives each cell's margin to the next as the terminal
# does (the same pairs.csv row): cell, ratio, interval, tie or not, next
sed -n 's/^\([^(]*\) (.*; \([0-9.]*x \[[0-9.]*, [0-9.]*\]\) \(faster\|higher\) than the next\( outside the tie\)\{0,1\}, \(.*\)$/\1|\2|\4|\5/p' "$T/run.out" | sort > "$T/margin.term"
grep -o '<li><strong>.*' "$T/run/report.xhtml" | sed 's|</li>|\n|g' |
	sed -n 's/.*<strong>\([^<]*\)<\/strong>.* Margin: .* is \([0-9.]*x \[[0-9.]*, [0-9.]*\]\) \(faster\|higher\) than the next\( outside the tie\)\{0,1\}, \(.*\) (the ratio of means.*/\1|\2|\4|\5/p' | sort > "$T/margin.report"
check "the report's answer states each cell's margin to the next, as the terminal does ($(wc -l < "$T/margin.term") cells)" \
	test "$(wc -l < "$T/margin.term")" = 6 -a "$(cmp -s "$T/margin.term" "$T/margin.report" && echo same)" = same
# (the next: the best-scoring eligible configuration that pairs.csv's
# score test says the top one beats, so "better" is a proven claim)
want=$(gawk -v FPAT='([^,]*)|("[^"]*")' 'FNR == 1 { delete h; for (i = 1; i <= NF; i++) h[$i] = i; next }
	{ for (i = 1; i <= NF; i++) gsub(/"/, "", $i) }
	FILENAME ~ /scores.csv$/ && $1 == "overall" && $h["eligible"] != "no" { n++; name[n] = $h["name"]; score[n] = $h["score"] }
	FILENAME ~ /pairs.csv$/ && $1 == "scores" && $2 == "overall" {
		if ($h["verdict"] == "beats") beats[$h["a"], $h["b"]] = 1
		if ($h["verdict"] == "beaten") beats[$h["b"], $h["a"]] = 1 }
	END { for (i = 2; i <= n; i++) if ((name[1], name[i]) in beats) { printf "%.3gx %s", score[i] / score[1], name[i]; exit } }' \
	"$T/run/scores.csv" "$T/run/pairs.csv")
said=$(grep -o 'Margin: [^<]* scores [0-9.]*x \[[^]]*\] better than the next[^,]*, [^<]* (the ratio of the scores' "$T/run/report.xhtml" |
	sed 's/.* scores \([0-9.]*x\) \[.*\] better than the next[^,]*, \(.*\) (the ratio of the scores/\1 \2/')
check "for the mix, the margin to the best configuration the top one is proven better than ($said) is their scores' ratio in scores.csv ($want)" \
	test -n "$said" -a "$said" = "$want"
same=0
for f in reps.csv summary.csv hist.csv pairs.csv ranks.csv kendall.csv scores.csv sensitivity.csv; do
	cmp -s "$T/run/$f" "$T/fst/$f" && same=$((same + 1))
done
check "run writes the same eight stage files as the stages one by one" test "$same" = 8
# (the provenance differs: run also lists the raw logs it read)
grep -v '<div id="provenance">' "$T/run/report.xhtml" | sed 's|<p class="summary">From 72 inputs: |<p class="summary">|' > "$T/run.report"
grep -v '<div id="provenance">' "$T/fst/report.xhtml" > "$T/fst.report"
check "and the same report, but for its provenance (and the summary's count of inputs)" cmp -s "$T/run.report" "$T/fst.report"
check "the report has its provenance on one line (what the check above drops)" \
	test "$(grep -c '<div id="provenance">' "$T/run/report.xhtml")" = 1
check "run writes no samples.csv unless asked" test ! -e "$T/run/samples.csv"
# provenance: every input's SHA-256 as sha256sum computes it, and its rows
awk -F, 'NR > 1 { print $4 "  " $1 }' "$T/run/inputs.csv" | sort > "$T/sha.got"
( cd / && find "$T/full" -type f -name '*.log' | sort | xargs sha256sum ) | sort > "$T/sha.want"
check "inputs.csv: the SHA-256 of all 72 inputs, as sha256sum says" \
	test "$(wc -l < "$T/sha.got")" = 72 -a "$(cmp -s "$T/sha.got" "$T/sha.want" && echo same)" = same
# the digest is taken in the parse's own pass (lines_feed): the same as
# sha256sum in every reader (paper Samba and web, delimited, runners, a
# log of several 16 MiB windows, one with a byte order mark) and from a pipe
awk 'BEGIN { print "# vmnetrank-log 1"; print "# vm=QEMU"; print "# netmode=TAP"; print "# direction=internal"; print "# workload=web"
	print "rep,seq,start_us,end_us,bytes,status"; t = 1196266661000000
	for (r = 1; r <= 4; r++) for (q = 1; q <= 250000; q++) { printf "%d,%d,%d,%d,230,ok\n", r, q, t, t + 900 + q % 97; t += 1000 } }' > "$T/big.log"
printf '\357\273\277' > "$T/bom.log"
cat fixtures/ingest/native-basic.log >> "$T/bom.log"
sha_same() { # OUTDIR: every file row's digest is sha256sum's, and there is one
	awk -F, 'NR > 1 && $1 != "-" { print $4 "  " $1 }' "$1/inputs.csv" | sort > "$T/sha.got"
	awk -F, 'NR > 1 && $1 != "-" { print $1 }' "$1/inputs.csv" | while read -r p; do sha256sum "$p"; done | sort > "$T/sha.want"
	test -s "$T/sha.got" && cmp -s "$T/sha.got" "$T/sha.want"
}
for f in fixtures/ingest/paper-samba.log fixtures/ingest/paper-web.log fixtures/ingest/ab-g.tsv \
	 fixtures/runners/jmeter-header.jtl fixtures/ingest/interrupted.log \
	 "$T/big.log" "$T/bom.log"; do
	rm -rf "$T/shaf"
	mkdir "$T/shaf"
	"$V" ingest -o "$T/shaf/samples.csv" --inputs "$T/shaf/inputs.csv" --label direction=internal \
		--label vm=Q --label netmode=NAT --label workload=w "$f" > /dev/null 2>&1
	check "inputs.csv: the SHA-256 of $f as sha256sum says (computed while parsing)" sha_same "$T/shaf"
done
check "the big log spans several 16 MiB windows" test "$(wc -c < "$T/big.log")" -gt 40000000
rm -rf "$T/shaf"
"$V" run -o "$T/shaf" "$T/big.log" > /dev/null 2>&1 < /dev/null
check "run: the big log's SHA-256 too" sha_same "$T/shaf"
rm -rf "$T/shap"
cat fixtures/ingest/native-basic.log | "$V" run -o "$T/shap" /dev/stdin > /dev/null 2>&1
check "a log from a pipe: its SHA-256 is the bytes' sha256sum" \
	test "$(awk -F, 'NR == 2 { print $4 }' "$T/shap/inputs.csv")" = "$(sha256sum < fixtures/ingest/native-basic.log | cut -d' ' -f1)"
rm -f "$T/big.log"
check "inputs.csv: rows per input add up to the samples" \
	test "$(awk -F, 'NR > 1 { s += $5 } END { print s }' "$T/run/inputs.csv")" = "$(($(wc -l < "$T/full.csv") - 1))"
check "the report lists the inputs with their digests: 12 hex digits shown, all 64 in the title, inputs.csv's" \
	test "$(grep -o '<td class="hash"><span title="[0-9a-f]\{64\}">[0-9a-f]\{12\}</span></td>' "$T/run/report.xhtml" |
		sed 's/.*title="\([0-9a-f]\{12\}\)\([0-9a-f]*\)">\([0-9a-f]*\)<.*/\1\2 \3/' | awk '{ print (substr($1, 1, 12) == $2) ? $1 : "bad" }' | sort)" = \
	     "$(awk -F, 'NR > 1 { print $4 }' "$T/run/inputs.csv" | sort)"
# the summary line before the answer: its counts are the stage files'
ops=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["metric"] == "wall" { o += $h["n_ops"]; r += $h["n_reps"]; g++ } END { printf "%d operations in %d repetitions of %d groups", o, r, g }' "$T/run/summary.csv")
check "the summary line: From 72 inputs: $ops (from summary.csv by awk)" \
	grep -q "<p class=\"summary\">From 72 inputs: $ops (configuration x workload x direction)" "$T/run/report.xhtml"
check "a table of contents: every link it holds leads to an id of the report (7 sections less the notes, 6 cells)" \
	test "$(grep -o '<div id="toc" class="toc">.*' "$T/run/report.xhtml" | sed 's|</ul></div>.*||' | grep -o 'href="#[^"]*"' | sed 's/href="#\(.*\)"/\1/' |
		while read -r id; do grep -q "id=\"$id\"" "$T/run/report.xhtml" && echo ok; done | wc -l)" = 12
# the command shown shell-quoted: the shell gives back the words
"$V" run -q -o "$T/quoted" --bootstrap 0 --note "it's \$HOME & \"a\" <b>" fixtures/real/netns/logs > /dev/null 2>&1
cmd=$(grep -o '<code>vmnetrank run[^<]*</code>' "$T/quoted/report.xhtml" | sed 's/<[^>]*>//g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g')
eval "set -- $cmd"
check "the report's command, pasted into a shell, gives back the note word for word" test "$9" = "it's \$HOME & \"a\" <b>"
set --
check "no timestamp unless asked" test "$(grep -c 'Written 20' "$T/run/report.xhtml")" = 0
"$V" report --timestamp -o "$T/ts" "$T/run" && check "--timestamp says when" grep -q 'Written 20[0-9-]* [0-9:]* UTC' "$T/ts/report.xhtml"
touch "$T/run/charts/99-means.png" "$T/run/charts/01-means.png" "$T/run/charts/notes.txt"
"$V" run -o "$T/run" --by vm --bootstrap 200 --max-failed 0.0001 "$T/full" > /dev/null
check "a rerun removes its own stale charts and nothing else" \
	test ! -e "$T/run/charts/99-means.png" -a ! -e "$T/run/charts/01-means.png" -a -e "$T/run/charts/notes.txt"
check "and every chart the report links exists" test "$(grep -o 'src="charts/[^"]*"' "$T/run/report.xhtml" | sed 's/src="//; s/"$//' | while read -r c; do [ -f "$T/run/$c" ] || echo missing; done | wc -l)" = 0

# in a browser: headless Chromium renders it as XHTML without a parse
# error, every image it names exists, and a screenshot comes out
if command -v chromium > /dev/null; then
	chrome() {
		timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
			--no-first-run --disable-background-networking --disable-component-update \
			--disable-sync --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@" 2>/dev/null
	}
	chrome --dump-dom "file://$T/fst/report.xhtml" > "$T/dom.html"
	check "Chromium renders the report" grep -q '<h2>The answer</h2>' "$T/dom.html"
	check "no XML parse error in the browser" test "$(grep -c 'This page contains the following errors' "$T/dom.html")" = 0
	missing=0
	for img in $(grep -o '<img [^>]*src="[^"]*"' "$T/fst/report.xhtml" | sed 's/.*src="//; s/"$//'); do
		[ -f "$T/fst/$img" ] || missing=$((missing + 1))
	done
	check "every image of the report exists ($missing missing)" test "$missing" = 0
	chrome --window-size=1280,2000 --screenshot="$T/report.png" "file://$T/fst/report.xhtml" > /dev/null
	check "a PNG screenshot of the report" test "$(head -c 8 "$T/report.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n'
else
	bad "chromium is missing (make deps installs it)"
fi

# a template without a placeholder
grep -v 'id="cells"' templates/report.xhtml > "$T/bad-template.xhtml"
cp templates/report.css "$T/report.css" # a template needs its stylesheet beside it
mkdir -p "$T/rep2"
"$V" report --template "$T/bad-template.xhtml" -o "$T/rep2" "$T/fst" 2> "$T/tpl.err"
check "a template missing a placeholder is an error naming it" \
	grep -q 'no element with id="cells"' "$T/tpl.err"
check "and no report is written" test ! -e "$T/rep2/report.xhtml"

# 7b. describe: each file on its own offset, exact beyond 1e18, strict
#     numbers, the Fieller interval as it is, and words where no test is
#     possible (expected values by hand)
printf '1.5\n2.5\n3.5\n' > "$T/d-small.txt"
"$V" describe --csv fixtures/describe/large-offset.txt | tail -1 > "$T/d-alone"
"$V" describe --csv "$T/d-small.txt" fixtures/describe/large-offset.txt | tail -1 > "$T/d-after"
check "describe: a file's figures do not depend on the file before it" cmp -s "$T/d-alone" "$T/d-after"
check "describe: 10000000.1 .2 .3 after another file: mean 10000000.2, sd 0.1 to 15 digits (it was off by 5.6e-9)" \
	awk -F, '{ d = $9 - 0.1; exit !($8 == 10000000.2 && d < 1e-15 && d > -1e-15) }' "$T/d-after"
printf '100000000000000000001\n100000000000000000002\n100000000000000000003\n100000000000000000004\n100000000000000000005\n' > "$T/d-huge.txt"
check "describe: 1e20 + {1..5} has sd sqrt(2.5) = $(awk 'BEGIN { printf "%.17g", sqrt(2.5) }'), not 0" \
	test "$("$V" describe --csv "$T/d-huge.txt" | awk -F, -v want="$(awk 'BEGIN { printf "%.17g", sqrt(2.5) }')" 'NR == 2 { print ($9 == want) }')" = 1
printf '12\n1\0003\n0x1A\ninf\nnan\n13\n7 8\n' > "$T/d-bad.txt"
"$V" describe "$T/d-bad.txt" > /dev/null 2> "$T/d-bad.err"
check "describe: bad numbers exit 1" test $? = 1
check "describe: a NUL byte is an error at its column" grep -q "d-bad.txt:2:2: error: '1' is not a number (it holds a NUL byte)" "$T/d-bad.err"
check "describe: hexadecimal is an error at the x" grep -q "d-bad.txt:3:2: error: '0x1A' is not a number" "$T/d-bad.err"
check "describe: inf and nan are errors" test "$(grep -c "d-bad.txt:[45]:1: error: '\(inf\|nan\)' is not a number" "$T/d-bad.err")" = 2
check "describe: a number followed by text is an error at the text" grep -q "d-bad.txt:7:2: error: '7 8' is not a number" "$T/d-bad.err"
check "describe: 4 errors and nothing else" test "$(wc -l < "$T/d-bad.err")" = 5
printf '.5\n1.\n+3\n1e1\n' > "$T/d-forms.txt"
check "describe: .5, 1., +3 and 1e1 are numbers (mean 3.625)" \
	test "$("$V" describe --csv "$T/d-forms.txt" | cut -d, -f8 | tail -1)" = 3.625
# fast vs slow: ratio 0.9, Fieller [0.8937, 0.90634] (its own line): the
# verdict gives that interval as it is, 1 - 0.90634 to 1 - 0.8937
"$V" describe fixtures/describe/slow.txt fixtures/describe/fast.txt > "$T/d-vs.out"
check "describe: the verdict's interval is Fieller's, asymmetric" \
	grep -q '^  verdict: faster by 10%, 95% CI 9.37% to 10.6%$' "$T/d-vs.out"
printf '5\n5\n5\n' > "$T/d-c5.txt"
printf '7\n7\n' > "$T/d-c7.txt"
printf '4\n' > "$T/d-one.txt"
"$V" describe "$T/d-c5.txt" "$T/d-c7.txt" "$T/d-one.txt" "$T/d-c5.txt" > "$T/d-const.out"
check "describe: constant data is named, without t = 0 or nan" \
	test "$(grep -c -e 'constant: every value is the same' -e 'no test: both are constant, so there is no spread to weigh the difference against (it is +2 in every value)' -e 'no test: both are constant and the same' "$T/d-const.out")" = 5 -a \
	"$(grep -ci -e 'nan' -e 't = 0' "$T/d-const.out")" = 0
check "describe: one value is named, and not tested" \
	test "$(grep -c -e 'one value: no spread, no interval' -e "no test: $T/d-one.txt has one value (a test needs at least two on each side)" "$T/d-const.out")" = 2

# 8. robustness: seeded random corruptions of every fixture log and of a
#    samples file; each run must end with status 0 or 1 and a message,
#    never a crash (the sanitizer builds run this too)
if [ -n "$MUT" ]; then
	crashes=0 runs=0
	head -400 "$T/s1.csv" > "$T/small-samples.csv"
	for f in $(find fixtures/ingest fixtures/stats fixtures/describe -type f | sort) "$T/small-samples.csv"; do
		for seed in 1 2 3 4 5 6 7 8; do
			"$MUT" "$seed" "$f" "$T/mut" || continue
			case "$f" in
			*samples*|*stats*) "$V" stats -o "$T/mo" "$T/mut" > /dev/null 2> "$T/mut.err"; st=$? ;;
			*describe*) "$V" describe "$T/mut" > /dev/null 2> "$T/mut.err"; st=$? ;;
			*) "$V" ingest --label direction=internal --label workload=w --date 2007-11-28 \
				"$T/mut" > /dev/null 2> "$T/mut.err"; st=$? ;;
			esac
			runs=$((runs + 1))
			if [ "$st" -gt 1 ] || { [ "$st" = 1 ] && ! grep -q 'vmnetrank: ' "$T/mut.err"; } ||
			   grep -q 'Sanitizer\|runtime error' "$T/mut.err"; then
				crashes=$((crashes + 1))
				echo "mutation $seed of $f: status $st"; head -5 "$T/mut.err"
			fi
		done
	done
	echo "e2e: $runs corrupted inputs tried"
	check "$runs corrupted inputs: every one ends in 0 or a clear error, none crashes" test "$crashes" = 0
fi

# 8b. parsing workers: ingest reads files on N threads and hands them on
#     in file order, so every output, and every message in its place, is
#     the same as one thread's
W="$T/workers"
VA=$(cd "$(dirname "$V")" && pwd)/$(basename "$V")
mkdir -p "$W/mix" "$W/many" "$W/ab"
"$GEN" --seed 11 --file-reps 8 --web-reps 3 --web-ops 400 -o "$W/m" > /dev/null || bad "genmatrix"
cp fixtures/ingest/errors/bad-number.log fixtures/ingest/errors/end-before-start.log \
   fixtures/ingest/errors/field-count.log fixtures/ingest/errors/repeated-repseq.log \
   fixtures/ingest/errors/time-range.log fixtures/ingest/errors/truncated-fields.log \
   fixtures/ingest/interrupted.log fixtures/ingest/killed.log fixtures/ingest/overlap.log \
   fixtures/ingest/native-basic.log fixtures/ingest/native-warmup.log "$W/mix/"
for n in 1 2 3 8; do
	mkdir -p "$W/k$n"
	(cd "$W/k$n" && "$VA" ingest --keep-going --threads $n --inputs inputs.csv \
		--rejects rejects.csv -o samples.csv ../mix > out 2> err; echo $? > rc)
done
for n in 2 3 8; do
	check "keep-going: --threads $n = 1 thread (samples, rejects, inputs, messages, status)" \
		sh -c 'for f in samples.csv rejects.csv inputs.csv out err rc; do cmp -s "$1/$f" "$2/$f" || exit 1; done' - "$W/k1" "$W/k$n"
done
# not vacuous: rejects from several files, warnings from several files
check "keep-going: rejects come from the 6 files with bad rows" \
	test "$(awk -F, 'NR > 1 { split($1, p, ":"); f[p[1]] = 1 } END { print length(f) }' "$W/k1/rejects.csv")" = 6
check "keep-going: warnings about 3 files, in file order" \
	test "$(grep -o 'mix/[a-z-]*\.log: warning' "$W/k1/err" | tr '\n' ' ')" = "mix/interrupted.log: warning mix/killed.log: warning mix/overlap.log: warning "
# 45 bad rows in three files, without --keep-going: the first 20 errors
# are shown, in file order, and the count of the rest
for i in 1 2 3; do
	{ printf '# vmnetrank-log 1\n# direction=internal\n# workload=w%s\nrep,seq,start_us,end_us\n' "$i"
	  awk -v i="$i" 'BEGIN { for (s = 1; s <= 30; s++) printf "1,%d,%d,%d\n", s, 1196266661000000 + s * 1000, 1196266661000000 + s * 1000 + (s % 2 ? 500 : -1) }'
	} > "$W/many/log$i.log"
done
for n in 1 2 3; do
	"$V" ingest --threads $n -o "$W/many$n.csv" "$W/many" > /dev/null 2> "$W/many$n.err"
	echo $? > "$W/many$n.rc"
done
check "45 errors in 3 files: 20 shown and the rest counted" \
	sh -c 'test "$(grep -c "error: end before start" "$1")" = 20 && grep -q "25 more errors not shown (45 in all)" "$1"' - "$W/many1.err"
check "45 errors in 3 files: the first 20 are log1's 15 and log2's first 5" \
	test "$(grep -o 'many/log[0-9]' "$W/many1.err" | uniq -c | awk '{ printf "%s%s ", $1, $2 }')" = "15many/log1 5many/log2 "
for n in 2 3; do
	check "45 errors: --threads $n gives the same messages and status 1" \
		sh -c 'cmp -s "$1.err" "$2.err" && test "$(cat "$2.rc")" = 1 && test ! -e "$2.csv"' - "$W/many1" "$W/many$n"
done
# a file without rows after one that failed is still named
mkdir -p "$W/norows"
cp fixtures/ingest/errors/bad-number.log "$W/norows/a-bad.log"
cp fixtures/ingest/errors/no-rows.log "$W/norows/b-empty.log"
cp fixtures/ingest/native-basic.log "$W/norows/c.log"
for n in 1 2; do
	"$V" ingest --threads $n -o /dev/null "$W/norows" > /dev/null 2> "$W/norows$n.err"
done
check "after a failed file, an empty one is still said to have no data rows, on 1 thread and on 2" \
	sh -c 'grep -q "b-empty.log: error: no data rows" "$1" && cmp -s "$1" "$2"' - "$W/norows1.err" "$W/norows2.err"
# a runner's warning said once per run (while the headers are read)
for i in 1 2 3; do cp fixtures/ingest/ab-g.tsv "$W/ab/ab$i.tsv"; done
for n in 1 2; do
	"$V" ingest --threads $n --label direction=internal --label workload=w \
		-o "$W/ab$n.csv" "$W/ab" > /dev/null 2> "$W/ab$n.err"
done
check "ab -g's warning once for 3 files, on 2 threads as on 1" \
	sh -c 'test "$(grep -c "ab -g records no status" "$1")" = 1 && cmp -s "$1" "$2" && cmp -s "$3" "$4"' - \
	"$W/ab1.err" "$W/ab2.err" "$W/ab1.csv" "$W/ab2.csv"
# samples.csv inputs among raw logs are read in their turn
"$V" ingest -o "$W/all.csv" "$W/m" 2> /dev/null
"$V" ingest -o "$W/part.csv" "$W/m/vm=QEMU" 2> /dev/null
for n in 1 3; do
	"$V" ingest --threads $n -o "$W/both$n.csv" "$W/m/vm=VirtualBox" "$W/part.csv" "$W/m/vm=coLinux" 2> /dev/null
done
check "a samples.csv between raw folders: --threads 3 = 1 thread" cmp -s "$W/both1.csv" "$W/both3.csv"
check "... and it holds every row ($(($(wc -l < "$W/all.csv") - 1)))" \
	test "$(wc -l < "$W/both3.csv")" = "$(wc -l < "$W/all.csv")"
QLOG=$(find "$W/m/vm=QEMU" -type f | sort | head -1)
for n in 1 3; do
	"$V" ingest --threads $n -o "$W/twice$n.csv" "$W/part.csv" "$W/m/vm=coLinux" "$QLOG" > /dev/null 2> "$W/twice$n.err"
	echo $? > "$W/twice$n.rc"
done
check "a raw log a samples.csv holds already: the same error on 3 threads" \
	sh -c 'grep -q "holds this log.s operations already" "$1.err" && cmp -s "$1.err" "$2.err" && test "$(cat "$2.rc")" = 1' - "$W/twice1" "$W/twice3"
# stats and run over raw logs
"$V" stats --threads 1 -o "$W/st1" "$W/m" 2> /dev/null
"$V" stats --threads 3 -o "$W/st3" "$W/m" 2> /dev/null
check "stats over raw logs: --threads 3 = 1 thread, byte for byte" diff -r "$W/st1" "$W/st3"
# large logs in parts (--split-bytes): every part on a worker, each later
# part replayed only when it reads as it would after the ones before; if
# not (a message of its own, a (rep, seq) of an earlier part), this thread
# reads the rest itself
mkdir -p "$W/parts"
awk 'BEGIN {
	print "# vmnetrank-log 1"; print "# direction=internal"; print "# workload=w"
	print "rep,seq,start_us,end_us,bytes,status"
	t = 1196266661000000; srand(5)
	for (i = 0; i < 5000; i++) {
		d = 100 + int(rand() * 5000)
		printf "%d,%d,%d,%d,230,%s\n", 1 + int(i / 1000), i % 1000, t, t + d, (rand() < 0.01 ? "http-500" : "ok")
		t += d + 10
	}
}' > "$W/parts/plain.log"
sed 's/$/\r/' "$W/parts/plain.log" > "$W/parts/crlf.log"
{ printf '\357\273\277'; cat "$W/parts/plain.log"; } > "$W/parts/bom.log"
head -c -1 "$W/parts/plain.log" > "$W/parts/nonl.log"
awk -F, -v OFS=, 'NR == 805 { $2 = 5 } { print }' "$W/parts/plain.log" > "$W/parts/dup.log"
awk -F, -v OFS=, 'NR == 4004 { $4 = "x" $4 } { print }' "$W/parts/plain.log" > "$W/parts/bad.log"
awk 'NR == 3004 { print "# a note" } { print }' "$W/parts/plain.log" > "$W/parts/comment.log"
awk -F, -v OFS=, 'NR == 2004 { $6 = "\"a,b\"" } { print }' "$W/parts/plain.log" > "$W/parts/quote.log"
# a status of 3000 lines in quotes, each like a row: cuts fall inside it
awk -F, -v OFS=, 'NR == 1504 { s = "\"x"; for (i = 0; i < 3000; i++) s = s "\n9," i ",1196266661000000,1196266661000100,230,ok"; $6 = s "\"" } { print }' \
	"$W/parts/plain.log" > "$W/parts/multiline.log"
for f in plain crlf bom nonl dup bad comment quote multiline; do
	for kg in "" --keep-going; do
		for n in 1 3; do
			d="$W/p-$f$kg-$n"
			mkdir -p "$d"
			(cd "$d" && VMNETRANK_TRACE_PARTS=1 "$VA" ingest $kg --threads $n --split-bytes 20000 \
				--inputs inputs.csv -o samples.csv "$W/parts/$f.log" > out 2> trace; echo $? > rc)
			grep -v '^vmnetrank: trace: ' "$d/trace" > "$d/err"
		done
		check "in parts: $f.log ${kg:-without --keep-going}: 3 threads = 1 (samples, rejects, inputs, messages, status)" \
			sh -c 'for x in out err rc samples.csv rejects.csv inputs.csv; do
				if [ -e "$1/$x" ] || [ -e "$2/$x" ]; then cmp -s "$1/$x" "$2/$x" || exit 1; fi; done' - "$W/p-$f$kg-1" "$W/p-$f$kg-3"
	done
done
tr_parts() { grep -o 'log: [0-9]* parts' "$W/p-$1-3/trace"; }
tr_here() { grep -o 'parts [0-9]* to [0-9]* read on one thread' "$W/p-$1-3/trace"; }
check "in parts: plain.log is cut in 12 parts, all replayed (not vacuous)" \
	sh -c 'test "$(grep -c "12 parts" "$1")" = 1 && ! grep -q "one thread" "$1"' - "$W/p-plain-3/trace"
check "in parts: the workers formatted the rows of samples.csv themselves (not vacuous)" \
	grep -q "the workers format the samples.csv rows" "$W/p-plain-3/trace"
check "in parts: every row's source line, counted across the cuts, is its line in the log (awk)" \
	awk -F, -v src="$W/parts/comment.log" 'FNR == NR { if ($0 !~ /^#/ && $1 != "rep") at[++n] = FNR; next }
		FNR == 1 { for (i = 1; i <= NF; i++) if ($i == "source") c = i; next }
		$c != src ":" at[FNR - 1] { bad++ }
		END { exit !(c && !bad && n == 5000 && FNR == 5001) }' "$W/parts/comment.log" "$W/p-comment-3/samples.csv"
check "in parts: so are the CRLF, BOM and comment variants" \
	sh -c 'for f in crlf bom comment; do grep -q "log: 1[0-9] parts" "$1/p-$f-3/trace" && ! grep -q "one thread" "$1/p-$f-3/trace" || exit 1; done' - "$W"
check "in parts: the multi-line field is one status of 3000 lines, as one thread reads it" \
	sh -c 'test "$(grep -c "\"x" "$1")" = 1 && test "$(wc -l < "$1")" = 8001' - "$W/p-multiline-3/samples.csv"
check "in parts: a (rep, seq) of part 1 again in part 2: this thread reads from part 2 on" \
	test "$(tr_here dup)" = "parts 2 to 12 read on one thread"
check "in parts: a bad row in part 10: this thread reads from part 10 on" \
	test "$(tr_here bad--keep-going)" = "parts 10 to 12 read on one thread"
check "in parts: the last row without a newline (a warning): the last part read here" \
	test "$(tr_here nonl)" = "parts 12 to 12 read on one thread"
check "in parts: a quoted field on one line: every part replayed" \
	sh -c 'grep -q "log: 1[0-9] parts" "$1" && ! grep -q "one thread" "$1"' - "$W/p-quote-3/trace"
check "in parts: a quoted field across cuts: read on from where part 4 ended" \
	sh -c 'grep -q "log: 19 parts" "$1" && grep -q "parts 5 to 19 read on one thread" "$1"' - "$W/p-multiline-3/trace"
check "in parts: the duplicate is refused, the bad row rejected, as by one thread" \
	sh -c 'grep -q "repeated rep 1 seq 5" "$1" && test "$(($(wc -l < "$2") - 1))" = 1' - "$W/p-dup-3/err" "$W/p-bad--keep-going-3/rejects.csv"
check "ingest --threads 0, 65 and x: usage errors" sh -c 'for n in 0 65 x; do "$1" ingest --threads $n "$2" > /dev/null 2>&1; test $? = 2 || exit 1; done' - "$V" fixtures/ingest/native-basic.log

# 8c. samples.csv rows formatted whole: every field's forms, written by
# hand (quoted labels, status and source; no bytes, no server; a server
# time; durations alone; a start stamp's resolution from its decimals)
mkdir -p "$T/fmt/a,b"
printf '# vmnetrank-log 1\n# direction=internal\n# workload=web\nrep,seq,start_us,end_us,bytes,status,server_us,vm\n1,1,1196266661901000,1196266661901500,,"bad, really",,"Q,1"\n1,2,1196266661902000,1196266661902600,12,ok,300,Q\n' > "$T/fmt/a,b/x.log"
cat > "$T/fmt/x.want" <<EOF
vm,workload,direction,rep,seq,start_us,end_us,duration_us,bytes,status,source,server_us,start_res_us
"Q,1",web,internal,1,1,1196266661901000,1196266661901500,500,,"bad, really","$T/fmt/a,b/x.log:5",,1
Q,web,internal,1,2,1196266661902000,1196266661902600,600,12,ok,"$T/fmt/a,b/x.log:6",300,1
EOF
"$V" ingest -o "$T/fmt/x.csv" "$T/fmt/a,b/x.log" 2> /dev/null
check "samples.csv: quoted labels, status and source; server times" cmp -s "$T/fmt/x.want" "$T/fmt/x.csv"
printf 'dur_ms,status\n1.5,ok\n2,"x ""y"""\n' > "$T/fmt/d.csv"
cat > "$T/fmt/d.want" <<EOF
workload,direction,rep,seq,start_us,end_us,duration_us,bytes,status,source,start_res_us
w,internal,1,1,,,1500,,ok,$T/fmt/d.csv:2,
w,internal,1,2,,,2000,,"x ""y""",$T/fmt/d.csv:3,
EOF
"$V" ingest --label direction=internal --label workload=w --map duration=dur_ms:ms -o "$T/fmt/d.out" "$T/fmt/d.csv" 2> /dev/null
check "samples.csv: durations alone (no stamps, no resolution)" cmp -s "$T/fmt/d.want" "$T/fmt/d.out"
printf 't,e,status\n1196266661.5,1196266662.25,ok\n' > "$T/fmt/s.csv"
cat > "$T/fmt/s.want" <<EOF
workload,direction,rep,seq,start_us,end_us,duration_us,bytes,status,source,start_res_us
w,internal,1,1,1196266661500000,1196266662250000,750000,,ok,$T/fmt/s.csv:2,100000
EOF
"$V" ingest --label direction=internal --label workload=w --map start=t:s --map end=e:s -o "$T/fmt/s.out" "$T/fmt/s.csv" 2> /dev/null
check "samples.csv: a start stamp's resolution from its decimals" cmp -s "$T/fmt/s.want" "$T/fmt/s.out"

# 9. the raw logs are unchanged
find fixtures -type f | sort | xargs sha256sum > "$T/fixtures.after"
check "raw logs never modified" cmp -s "$T/fixtures.before" "$T/fixtures.after"

echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
