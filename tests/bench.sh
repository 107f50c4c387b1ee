#!/bin/sh
# make bench: the paper matrix with 100 web repetitions (about 24.7 M rows)
# through reference commands and vmnetrank, side by side.
#   sh tests/bench.sh BUILD
set -u
B=${1:-build}
D=bench-data
LOGS=$D/logs
STAMP="$D/.stamp-seed2007-web100"
if [ ! -f "$STAMP" ]; then
	rm -rf "$LOGS"
	mkdir -p "$D"
	echo "bench: generating the matrix with 100 web repetitions in $LOGS ..."
	"$B/tests/genmatrix" --seed 2007 --web-reps 100 -o "$LOGS" || exit 1
	touch "$STAMP"
fi
FILES=$(find "$LOGS" -type f -name '*.log' | sort)
BYTES=$(cat $FILES | wc -c)
ROWS=$(cat $FILES | grep -cv -e '^#' -e '^rep,')
MB=$(echo "$BYTES" | awk '{ printf "%.0f", $1 / 1e6 }')
echo "bench: $ROWS rows, $MB MB in $(echo "$FILES" | wc -l) files; $(nproc) CPUs"
cat $FILES > /dev/null # warm the page cache for every contender alike

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# run NAME CMD...: best of $TRIES (default 3) wall times, peak RSS of that run
run() {
	name=$1
	shift
	best=""
	for i in $(seq 1 "${TRIES:-3}"); do
		/usr/bin/time -f "%e %M" -o "$T/t" "$@" < "${STDIN:-/dev/null}" > /dev/null 2>"$T/err" ||
			{ echo "bench: $name failed: $(cat "$T/err")"; return; }
		t=$(cut -d' ' -f1 "$T/t")
		m=$(cut -d' ' -f2 "$T/t")
		if [ -z "$best" ] || [ "$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) }')" = 1 ]; then
			best=$t
			mem=$m
		fi
	done
	echo "$name|$best|$mem" >> "$T/results"
}

AWKPROG='/^#/ || $1 == "rep" { next } { s[FILENAME] += $4 - $3; n[FILENAME]++ } END { for (f in s) printf "%s %.3f\n", f, s[f] / n[f] }'
run "wc -l" wc -l $FILES
run "awk (per-group mean of end-start)" awk -F, "$AWKPROG" $FILES
run "vmnetrank ingest --threads 1" "$B/vmnetrank" ingest --threads 1 -o /dev/null "$LOGS"
run "vmnetrank ingest" "$B/vmnetrank" ingest -o /dev/null "$LOGS"

echo
awk -F'|' -v mb="$MB" -v cpus="$(nproc)" '
	{ printf "%-38s %8.2f s %9.0f MB/s %9.1f MB peak\n", $1, $2, mb / $2, $3 / 1024
	  t[$1] = $2; m[$1] = $3 }
	END {
		a = t["awk (per-group mean of end-start)"]; v = t["vmnetrank ingest"]
		printf "\ningest throughput = %.2fx awk (target >= 3x: %s)\n", a / v, (a / v >= 3 ? "met" : "MISSED")
		printf "ingest peak memory = %.1f MB (target < 64 MB: %s)\n", m["vmnetrank ingest"] / 1024, (m["vmnetrank ingest"] < 65536 ? "met" : "MISSED")
		w = t["wc -l"]; o = t["vmnetrank ingest --threads 1"]
		printf "ingest = %.1fx the time of wc -l (target <= 15x: %s); %d parsing threads %.2fx one\n", v / w, (v / w <= 15 ? "met" : "MISSED"), cpus, o / v
	}' "$T/results"
echo "(awk is $(readlink -f "$(command -v awk)"))"

# ---- stats on the samples of the same matrix ----
SAMPLES=$D/samples.csv
if [ ! -f "$SAMPLES" ] || [ "$SAMPLES" -ot "$STAMP" ] || [ "$SAMPLES" -ot "$B/vmnetrank" ]; then
	echo
	echo "bench: writing $SAMPLES ..."
	"$B/vmnetrank" ingest -o "$SAMPLES" "$LOGS" || exit 1
fi
SMB=$(wc -c < "$SAMPLES" | awk '{ printf "%.0f", $1 / 1e6 }')
NL=$(head -1 "$SAMPLES" | tr ',' '\n' | grep -n '^rep$' | cut -d: -f1)
NL=$((NL - 1))           # label columns come first
DUR=$(head -1 "$SAMPLES" | tr ',' '\n' | grep -n '^duration_us$' | cut -d: -f1)
echo
echo "bench: stats on $SAMPLES ($SMB MB, $ROWS rows, $NL label columns)"
cat "$SAMPLES" > /dev/null
: > "$T/results"
mkdir -p "$T/st"
run "vmnetrank stats" "$B/vmnetrank" stats -o "$T/st" "$SAMPLES"
STDIN=$SAMPLES run "datamash (mean, sstdev, median)" datamash -t, --header-in -g "$(seq -s, 1 "$NL")" mean "$DUR" sstdev "$DUR" median "$DUR"
TRIES=1 run "pandas (read_csv, groupby mean/std/median)" /usr/bin/python3 tests/bench_pandas.py "$SAMPLES"
echo
awk -F'|' -v mb="$SMB" -v rows="$ROWS" '
	{ printf "%-44s %8.2f s %9.0f MB/s %9.1f MB peak\n", $1, $2, mb / $2, $3 / 1024
	  t[$1] = $2; m[$1] = $3 }
	END {
		v = t["vmnetrank stats"]
		d = t["datamash (mean, sstdev, median)"]; p = t["pandas (read_csv, groupby mean/std/median)"]
		printf "\nstats = %.1fx faster than pandas (target >= 10x: %s)\n", p / v, (p / v >= 10 ? "met" : "MISSED")
		printf "stats = %.1fx faster than datamash (target >= 5x: %s)\n", d / v, (d / v >= 5 ? "met" : "MISSED")
		b = m["vmnetrank stats"] * 1024 / rows
		printf "stats peak memory = %.1f bytes per sample (target <= 32: %s)\n", b, (b <= 32 ? "met" : "MISSED")
	}' "$T/results"

# ---- DuckDB (npm's @duckdb/node-api) on the same raw folders: the
# repetition rows in SQL (contrib/duckdb/reps.sql), beside the whole run;
# their figures checked against ours (issue 19: run >= 1.5x DuckDB) ----
DUCK=$D/node
if command -v node > /dev/null && command -v npm > /dev/null &&
	[ ! -d "$DUCK/node_modules/@duckdb/node-api" ]; then
	echo
	echo "bench: npm install --prefix $DUCK @duckdb/node-api ..."
	npm install --prefix "$DUCK" --no-audit --no-fund --loglevel=error @duckdb/node-api > "$T/npm.log" 2>&1 ||
		echo "bench: DuckDB: npm install failed: $(tail -1 "$T/npm.log")"
fi
if [ -d "$DUCK/node_modules/@duckdb/node-api" ]; then
	export DUCKDB_PREFIX="$DUCK"
	DV=$(node tests/duckdb_reps.mjs samples "$SAMPLES" "$T/duck_s.csv" | cut -d' ' -f2)
	: > "$T/results"
	run "vmnetrank run (ingest..report, charts)" "$B/vmnetrank" run -q -o "$T/runbig" --by vm "$LOGS"
	run "DuckDB $DV: reps.sql on the raw folders" node tests/duckdb_reps.mjs raw "$LOGS" "$T/duck_raw.csv"
	run "vmnetrank stats (samples.csv)" "$B/vmnetrank" stats -o "$T/st" "$SAMPLES"
	run "DuckDB $DV: reps.sql on samples.csv" node tests/duckdb_reps.mjs samples "$SAMPLES" "$T/duck_s.csv"
	TRIES=1 run "vmnetrank run --threads 1" "$B/vmnetrank" run -q --threads 1 -o "$T/run1" --by vm "$LOGS"
	echo
	awk -F'|' -v cpus="$(nproc)" '{ printf "%-44s %8.2f s %9.1f MB peak\n", $1, $2, $3 / 1024; t[NR] = $2 }
		END { printf "\nrun = %.2f s, DuckDB on the raw folders (repetition rows only) = %.2f s: run %.2fx DuckDB (target >= 1.5x: %s)\n",
			t[1], t[2], t[2] / t[1], (t[2] / t[1] >= 1.5 ? "met" : "MISSED")
		      printf "stats = %.2f s, DuckDB on samples.csv = %.2f s: stats %.2fx DuckDB\n", t[3], t[4], t[4] / t[3]
		      printf "run on %d parsing threads = %.2fx run --threads 1\n", cpus, t[5] / t[1] }' "$T/results"
	echo "DuckDB's repetition rows against ours: raw folders vs run: $(python3 tests/duckdb_check.py "$T/duck_raw.csv" "$T/runbig/reps.csv" | tail -1)"
	echo "                                       samples.csv vs stats: $(python3 tests/duckdb_check.py "$T/duck_s.csv" "$T/st/reps.csv" | tail -1)"
	# and DuckDB's rows back into stats: every repetition-level figure
	# of summary.csv, as from the operations
	mkdir -p "$T/duckst"
	"$B/vmnetrank" stats -o "$T/duckst" "$T/duck_raw.csv" &&
		echo "stats on DuckDB's rows against run's figures: $(python3 tests/reps_rows_check.py --rel 1e-12 "$T/runbig" "$T/duckst" | tail -1)"
	unset DUCKDB_PREFIX
else
	echo
	echo "bench: DuckDB: skipped (needs node and npm: make bench-deps, and the npm registry)"
fi

# ---- run at 100 M operations: memory bounded (issue 19: peak < 256 MB),
# beside wc -l reading the same logs (awk's per-group mean takes 260 s
# there: too long to wait for); once each ----
L100=$D/logs420
if [ ! -f "$D/.stamp-seed2007-web420" ]; then
	rm -rf "$L100"
	echo
	echo "bench: generating the matrix with 420 web repetitions in $L100 ..."
	"$B/tests/genmatrix" --seed 2007 --web-reps 420 -o "$L100" || exit 1
	touch "$D/.stamp-seed2007-web420"
fi
F100=$(find "$L100" -type f -name '*.log' | sort)
N100=$(cat $F100 | grep -cv -e '^#' -e '^rep,')
: > "$T/results"
TRIES=1 run "wc -l" wc -l $F100
TRIES=1 run "vmnetrank run (ingest..report, charts)" "$B/vmnetrank" run -q -o "$T/run100" --by vm "$L100"
echo
echo "bench: $N100 operations in $(echo "$F100" | wc -l) files, $(($(cat $F100 | wc -c) / 1000000)) MB"
awk -F'|' -v n="$N100" '{ printf "%-44s %8.2f s %9.1f MB peak\n", $1, $2, $3 / 1024; m[NR] = $3 / 1024 }
	END { printf "\nrun at %.1f M operations: %.1f MB peak, %.1f bytes per operation (target < 256 MB: %s; wc -l %.1f MB)\n",
		n / 1e6, m[2], m[2] * 1048576 / n, (m[2] < 256 ? "met" : "MISSED"), m[1] }' "$T/results"
echo "operation quantiles there: $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "op_quantiles") c = i; next } { n[$c]++ } END { for (k in n) printf "%s%s: %d rows", (s++ ? ", " : ""), k, n[k] }' "$T/run100/summary.csv")"
rm -rf "$T/run100"

# ---- rank: 50 configurations x 6 cells x 30 repetitions, B = 10000 ----
R=$T/rank
mkdir -p "$R"
awk -v seed=1 'BEGIN {
	srand(seed); t = 1196266661000000
	print "cfg,workload,direction,rep,seq,start_us,end_us,bytes,status"
	for (w = 1; w <= 3; w++) for (d = 0; d < 2; d++) for (c = 1; c <= 50; c++) {
		m = 1000000 * (1 + c / 100.0)   # configurations 1% apart, 5% noise
		for (r = 1; r <= 30; r++) {
			dur = int(m * (1 + 0.05 * (rand() - 0.5)))
			printf "c%02d,w%d,%s,%d,1,%.0f,%.0f,,ok\n", c, w, d ? "external" : "internal", r, t, t + dur
			t += dur + 1000
		}
	} }' > "$R/samples.csv"
"$B/vmnetrank" stats "$R/samples.csv" || exit 1
: > "$T/results"
run "vmnetrank rank (50 configs x 6 cells, B=10000)" "$B/vmnetrank" rank --bootstrap 10000 "$R"
echo
awk -F'|' '{ printf "%-48s %8.2f s %9.1f MB peak\n", $1, $2, $3 / 1024
	printf "\nrank = %.2f s (target < 2 s: %s)\n", $2, ($2 < 2 ? "met" : "MISSED") }' "$T/results"
echo "(pairs: $(($(wc -l < "$R/pairs.csv") - 1)), of which 'beats' or 'beaten': $(grep -c ',beat' "$R/pairs.csv"))"

# ---- rank and report at many configurations: 200 and 1,000 x 6 cells,
# 4 repetitions of 3 operations, B = 10000 (issue 19: 200 under 2 s,
# 1,000 under 30 s, the report produced); once each (TRIES=1), beside
# wc -l of the pairs.csv rank writes
for C in 200 1000; do
	S=$T/many$C
	mkdir -p "$S"
	awk -v C="$C" 'BEGIN { srand(C); print "vm,netmode,workload,direction,rep,seq,start_us,end_us,bytes,status"; t = 1000000
		for (c = 0; c < C; c++) for (w = 0; w < 3; w++) for (d = 0; d < 2; d++) for (r = 1; r <= 4; r++) for (q = 1; q <= 3; q++) {
			dur = int((1000 + c * 37 + (c % 3 == 1 && d ? 600 : 0) + w * 300) * (d ? 1.3 : 1) * (0.9 + rand() / 5))
			printf "t%03d,%s,w%d,%s,%d,%d,%d,%d,100,ok\n", int(c / 2), c % 2 ? "TAP" : "NAT", w, d ? "external" : "internal", r, q, t, t + dur
			t += dur + 10 } }' > "$S/samples.csv"
	"$B/vmnetrank" stats "$S/samples.csv" || exit 1
	: > "$T/results"
	TRIES=1 run "vmnetrank rank --by vm ($C configs x 6 cells)" "$B/vmnetrank" rank -q --by vm "$S"
	TRIES=1 run "wc -l pairs.csv ($(($(wc -c < "$S/pairs.csv") / 1000000)) MB)" wc -l "$S/pairs.csv"
	TRIES=1 run "vmnetrank report ($C configs)" "$B/vmnetrank" report "$S"
	echo
	awk -F'|' -v C="$C" -v goal="$([ "$C" = 200 ] && echo 2 || echo 30)" '{ printf "%-48s %8.2f s %9.1f MB peak\n", $1, $2, $3 / 1024; t[NR] = $2 }
		END { printf "\nrank + report at %d configurations = %.2f + %.2f = %.2f s (target < %d s with the report produced: %s)\n", C, t[1], t[3], t[1] + t[3], goal, (t[1] + t[3] < goal ? "met" : "MISSED") }' "$T/results"
	rm -rf "$S"
done

# ---- run: the whole pipeline on the paper matrix, beside awk's mean ----
M=$T/matrix
"$B/tests/genmatrix" --seed 2007 -o "$M" || exit 1
MFILES=$(find "$M" -type f -name '*.log' | sort)
cat $MFILES > /dev/null
: > "$T/results"
run "awk (per-group mean of end-start)" awk -F, "$AWKPROG" $MFILES
run "vmnetrank run (ingest..report, charts)" "$B/vmnetrank" run -o "$T/runout" --by vm "$M"
echo
echo "bench: the paper matrix: $(cat $MFILES | grep -cv -e '^#' -e '^rep,') operations"
awk -F'|' '{ printf "%-44s %8.2f s %9.1f MB peak\n", $1, $2, $3 / 1024; t[NR] = $2 }
	END { printf "\nrun = %.2f s, awk = %.2f s (target: run faster than awk: %s)\n", t[2], t[1], (t[2] < t[1] ? "met" : "MISSED") }' "$T/results"
