#!/bin/sh
# Logs from the runners people use, for real: each program from Debian
# runs on loopback against a server this test starts (lighttpd, iperf3 -s),
# its own file goes through its preset, and the counts, statuses, bytes and
# times that come out are checked against the runner's own summary (ab's
# "Complete requests", siege's "Successful transactions", hyperfine's
# mean, iperf3's end sums, wrk's request count), computed by jq and awk,
# never by vmnetrank.  JMeter's Debian package does not run, so its files
# are hand-written (fixtures/runners/README.txt).  Then a mix of three
# runners in one run (--sources), samples.csv beside raw logs, ISO stamps
# with --tz, --no-header, and the build-tree binary run from elsewhere.
#   sh tests/runners.sh VMNETRANK
set -u
V=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d)
cleanup() {
	[ -n "${LIGHTTPD_PORT:-}" ] && lighttpd_stop "$T"
	for p in "$T"/*.pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$T"
}
[ -n "${KEEP:-}" ] || trap cleanup EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL runners: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
# column NAME of a CSV file, data rows only (values hold no comma here)
col() {
	awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"
}
count() { col "$1" "$2" | grep -c -x -- "$3"; }
rows() { echo $(($(wc -l < "$1") - 1)); }
L="--label direction=internal"

mkdir -p "$T/www" && head -c 300 /dev/zero | tr '\0' x > "$T/www/page.html"
. "$HERE/tests/lighttpd.sh"
if ! lighttpd_start "$T" "$T/www"; then
	echo "FAIL runners: lighttpd does not start"
	echo "runners: 0 passed, 1 failed"
	exit 1
fi
U=http://127.0.0.1:$LIGHTTPD_PORT

# ---- ab -g ----
timeout 60 ab -q -n 200 -c 2 -g "$T/ab.tsv" "$U/page.html" > "$T/ab.out" 2>&1
complete=$(awk '/^Complete requests:/ { print $3 }' "$T/ab.out")
"$V" ingest $L --label workload=web -o "$T/ab.csv" "$T/ab.tsv" 2> "$T/ab.err"
check "ab: detected and read (exit 0)" test $? = 0
check "ab: $complete rows, as ab's 'Complete requests'" test "$(rows "$T/ab.csv")" = "$complete" -a "$complete" = 200
check "ab: a warning says ab -g records no status" grep -q 'ab -g records no status' "$T/ab.err"
check "ab: start stamps at 1 s" test "$(col "$T/ab.csv" start_res_us | sort -u)" = 1000000
want=$(awk -F'\t' 'NR > 1 { s += $5 } END { print s * 1000 }' "$T/ab.tsv")
check "ab: sum of durations = ab's ttime ($want us)" \
	test "$(col "$T/ab.csv" duration_us | awk '{ s += $1 } END { print s }')" = "$want"
check "ab: inputs.csv says tool=ab" sh -c "'$V' ingest $L --label workload=web --inputs '$T/ab.in' -o /dev/null '$T/ab.tsv' 2>/dev/null && grep -q 'tool=ab' '$T/ab.in'"

# ---- siege -v and --log ----
printf 'verbose = true\ncolor = off\njson_output = false\nshow-logfile = false\nparser = false\nprotocol = HTTP/1.1\nconnection = close\nbenchmark = true\n' > "$T/siegerc"
printf '%s\n%s\n' "$U/page.html" "$U/missing.html" > "$T/urls.txt"
for r in 1 2; do
	HOME=$T timeout 60 siege -R "$T/siegerc" -c 2 -r 5 -f "$T/urls.txt" --log="$T/siege.log" \
		> "$T/siege$r.out" 2> "$T/siege$r.sum"
done
trans=$(awk -F: '/^Transactions:/ { print $2 + 0 }' "$T/siege1.sum")
okay=$(awk -F: '/^Successful transactions:/ { print $2 + 0 }' "$T/siege1.sum")
"$V" ingest $L --label workload=web -o "$T/sv.csv" "$T/siege1.out" 2> "$T/sv.err"
check "siege -v: detected and read (exit 0)" test $? = 0
check "siege -v: $trans rows, as siege's 'Transactions'" test "$(rows "$T/sv.csv")" = "$trans" -a "$trans" -gt 0
check "siege -v: $okay ok, as its 'Successful transactions'" test "$(count "$T/sv.csv" status ok)" = "$okay"
check "siege -v: the others are its 404s" test "$(count "$T/sv.csv" status 404)" = $((trans - okay))
check "siege -v: durations only (no start stamps)" test "$(col "$T/sv.csv" start_us | sort -u)" = ""
check "siege -v: bytes as siege says them" \
	test "$(col "$T/sv.csv" bytes | awk '{ s += $1 } END { print s }')" = "$(awk '/^HTTP/ { s += $5 } END { print s }' "$T/siege1.out")"
"$V" ingest $L --label workload=web -o "$T/sl.csv" "$T/siege.log" 2> "$T/sl.err"
check "siege --log: a zoneless date needs --tz" grep -q "siege.log:2:1: error: date-time '.*': the time stamp has no zone" "$T/sl.err"
"$V" ingest $L --label workload=web --tz UTC -o "$T/sl.csv" "$T/siege.log" 2> "$T/sl.err"
check "siege --log: two runs, two repetitions" test "$(col "$T/sl.csv" rep | tr '\n' ' ')" = "1 2 "
check "siege --log: a run with 404s is not ok" test "$(col "$T/sl.csv" status | sort -u)" = "siege-$((trans - okay))-of-$trans-not-ok-0-failed"
check "siege --log: its end is the log's date (UTC)" \
	test "$(col "$T/sl.csv" end_us | head -1)" = "$(($(date -u -d "$(awk -F, 'NR == 2 { print $1 }' "$T/siege.log")" +%s) * 1000000))"

# ---- hyperfine --export-json ----
timeout 120 hyperfine -N -r 5 -P ms 10 20 -D 10 --export-json "$T/hf.json" 'sleep 0.0{ms}' > /dev/null 2>&1
timeout 60 hyperfine -N -r 3 -i --export-json "$T/hf-fail.json" false > /dev/null 2>&1
"$V" ingest $L --label workload=sleep -o "$T/hf.csv" "$T/hf.json" "$T/hf-fail.json" 2> "$T/hf.err"
check "hyperfine: detected and read (exit 0)" test $? = 0
check "hyperfine: 5 + 5 + 3 runs, one row each" test "$(rows "$T/hf.csv")" = 13
check "hyperfine: the parameter is a label" test "$(col "$T/hf.csv" ms | sort -u | tr '\n' ' ')" = " 10 20 "
check "hyperfine: the failing command's runs are exit-1" test "$(count "$T/hf.csv" status exit-1)" = 3
check "hyperfine: each run its own repetition" test "$(col "$T/hf.csv" rep | sort -u | tr '\n' ' ')" = "1 2 3 4 5 "
"$V" run -o "$T/hfr" --bootstrap 0 $L --label workload=sleep "$T/hf.json" > "$T/hfr.out" 2> "$T/hfr.err"
check "hyperfine: run exits 0" test $? = 0
check "hyperfine: ranked by busy time (durations only), and it says so" \
	grep -q 'sleep is ranked by busy time, not wall time: 2 configurations have no start stamps' "$T/hfr.err"
for ms in 10 20; do
	theirs=$(jq -r --arg c "sleep 0.0$ms" '.results[] | select(.command == $c) | .mean * 1000000' "$T/hf.json")
	ours=$(awk -F, -v c="sleep 0.0$ms" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$h["command"] == c && $h["metric"] == "busy" { print $h["mean"] }' "$T/hfr/summary.csv")
	check "hyperfine $ms ms: our mean $ours us = hyperfine's $theirs us (to 1 us)" \
		awk -v a="$ours" -v b="$theirs" 'BEGIN { d = a - b; exit !(d < 1 && d > -1) }'
done
check "hyperfine: 20 ms is proven slower than 10 ms" \
	test "$(awk -F, '$1 == "internal" { print $2 }' "$T/hfr/ranks.csv" | head -1)" = "command=sleep 0.010, ms=10" -o \
	     -n "$(grep -i 'fastest: .*0\.010' "$T/hfr.out")"

# ---- iperf3 -J, client and server ----
port=$((40000 + $$ % 20000))
for n in 1 2; do
	timeout 30 iperf3 -s -1 -B 127.0.0.1 -p $port -J > "$T/ips$n.json" 2> /dev/null & echo $! > "$T/iperf.pid"
	sleep 0.5
	omit="-O 1"
	[ $n = 2 ] && omit=
	timeout 30 iperf3 -c 127.0.0.1 -p $port -t 1 -i 0.25 $omit -J > "$T/ipc$n.json" 2> /dev/null
	wait "$(cat "$T/iperf.pid")" 2>/dev/null
	rm -f "$T/iperf.pid"
done
"$V" ingest $L --label workload=iperf --include-warmup -o "$T/ipc.csv" "$T/ipc1.json" "$T/ipc2.json" 2> "$T/ipc.err"
check "iperf3 client: detected and read (exit 0)" test $? = 0
want=$(jq '.intervals | length' "$T/ipc1.json" "$T/ipc2.json" | awk '{ s += $1 } END { print s }')
check "iperf3 client: one row an interval ($want, with the omitted ones)" test "$(rows "$T/ipc.csv")" = "$want"
"$V" ingest $L --label workload=iperf -o "$T/ipc-m.csv" "$T/ipc1.json" 2> /dev/null
want=$(jq '[.intervals[] | select(.sum.omitted | not)] | length' "$T/ipc1.json")
check "iperf3 client: omitted (-O) intervals are warm-up, left out ($want measured)" test "$(rows "$T/ipc-m.csv")" = "$want"
want=$(jq '[.intervals[] | select(.sum.omitted | not) | .sum.bytes] | add' "$T/ipc1.json")
check "iperf3 client: bytes = the measured intervals' ($want)" \
	test "$(col "$T/ipc-m.csv" bytes | awk '{ s += $1 } END { printf "%.0f", s }')" = "$want"
want=$(jq '.start.timestamp.timesecs * 1000000 + (.intervals[0].sum.start * 1000000 | round)' "$T/ipc1.json")
check "iperf3 client: the first start = start.timestamp + the interval's start" \
	test "$(col "$T/ipc.csv" start_us | head -1)" = "$want"
# after -O, iperf3 counts offsets from the omit period's end: measured
# intervals follow the omitted ones, none overlapping by more than 100 ms
# (a reader that counted them from the test's start would overlap by the
# whole 1 s omit period; iperf3's own timing left overlaps of up to
# 0.6 ms idle and past 1 ms under load, which failed a CI run).
# Within the -O run only: each run's base is start.timestamp.timesecs,
# whole seconds, so the second run, which starts within a second of the
# first one's end, may be placed before it (this check failed 1 in 3)
"$V" ingest $L --label workload=iperf --include-warmup -o "$T/ipc-o.csv" "$T/ipc1.json" 2> /dev/null
check "iperf3 -O: the intervals follow one another" \
	awk -F, 'NR > 1 && $5 != "" { n++; if (pe && $5 < pe - 100000) bad = 1; pe = $6 } END { exit bad || n < 4 }' "$T/ipc-o.csv"
"$V" ingest $L --label workload=iperf --inputs "$T/ips.in" -o "$T/ips.csv" "$T/ips1.json" 2> /dev/null
want=$(jq '.end.sum_received.bytes' "$T/ips1.json")
check "iperf3 server: the receiver's end sum is kept ($want bytes)" grep -q "meta.received_bytes=$want" "$T/ips.in"
check "iperf3 server: intervals' bytes = the receiver's end sum" \
	test "$(col "$T/ips.csv" bytes | awk '{ s += $1 } END { printf "%.0f", s }')" = "$want"
# the preset and a jq conversion of the same file agree row for row
jq -r '.start.timestamp.timesecs as $t | "seq,start_us,end_us,bytes",
	(.intervals | to_entries[] | "\(.key + 1),\($t * 1000000 + (.value.sum.start * 1000000 | round)),\($t * 1000000 + (.value.sum.end * 1000000 | round)),\(.value.sum.bytes)")' \
	"$T/ipc2.json" > "$T/ipjq.csv"
"$V" ingest $L --label workload=iperf --format csv -o "$T/ipjq.out" "$T/ipjq.csv" 2> /dev/null
"$V" ingest $L --label workload=iperf --include-warmup -o "$T/ip2.out" "$T/ipc2.json" 2> /dev/null
check "iperf3: the preset and jq's conversion give the same operations" \
	test "$(cut -d, -f4-8 "$T/ip2.out")" = "$(cut -d, -f4-8 "$T/ipjq.out")"
echo '{"start": {"timestamp": {"timesecs": 1796160000}, "test_start": {}}, "intervals": [], "error": "unable to connect to server: Connection refused"}' > "$T/iperr.json"
"$V" ingest $L --label workload=iperf --format iperf3 -o "$T/iperr.csv" "$T/iperr.json" 2> "$T/iperr.err"
check "iperf3: a test that failed is one failed operation, with a warning" \
	test "$(col "$T/iperr.csv" status)" = iperf3-error -a -n "$(grep 'unable to connect' "$T/iperr.err")"

# ---- wrk with contrib/wrk-log.lua ----
for p in page.html missing.html; do
	WRK_LOG=$T/wrk-$p.log timeout 60 wrk -t2 -c2 -d1s -s "$HERE/contrib/wrk-log.lua" "$U/$p" > "$T/wrk-$p.out" 2>&1
done
reqs=$(awk '/requests in/ { print $1 }' "$T/wrk-page.html.out")
"$V" ingest $L --label workload=web -o "$T/wrk.csv" "$T/wrk-page.html.log" 2> "$T/wrk.err"
check "wrk: read as native (exit 0)" test $? = 0
check "wrk: $reqs rows, as wrk's own count" test "$(rows "$T/wrk.csv")" = "$reqs" -a "${reqs:-0}" -gt 0
check "wrk: every status 200" test "$(col "$T/wrk.csv" status | sort -u)" = ok
check "wrk: the two threads' requests in start order" \
	test "$(col "$T/wrk.csv" start_us | sort -c -n 2>&1)" = ""
n404=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$T/wrk-missing.html.out")
"$V" ingest $L --label workload=web -o "$T/wrk404.csv" "$T/wrk-missing.html.log" 2> /dev/null
check "wrk: $n404 failed, as wrk's 'Non-2xx or 3xx responses'" test "$(count "$T/wrk404.csv" status 404)" = "$n404" -a "${n404:-0}" -gt 0
WRK_LOG=$T/wrk-many.log timeout 60 wrk -t1 -c3 -d1s -s "$HERE/contrib/wrk-log.lua" "$U/page.html" > "$T/wrk-many.out" 2>&1
check "wrk: several connections a thread are refused, no log written" \
	test ! -e "$T/wrk-many.log" -a -n "$(grep 'give -c equal to -t' "$T/wrk-many.out")"

# ---- curl -w @contrib/curl-w.txt ----
: > "$T/curl.csv"
for p in page.html page.html page.html missing.html; do
	curl -s -o /dev/null -w @"$HERE/contrib/curl-w.txt" "$U/$p" >> "$T/curl.csv"
done
curl -s -o /dev/null -w @"$HERE/contrib/curl-w.txt" http://127.0.0.1:1/ >> "$T/curl.csv"
"$V" ingest $L --label workload=web -o "$T/curl.out" "$T/curl.csv" 2> "$T/curl.err"
check "curl: detected and read (exit 0)" test $? = 0
check "curl: 3 ok, one 404, one refused (exit 7)" \
	test "$(col "$T/curl.out" status | tr '\n' ' ')" = "ok ok ok 404 curl-exit-7 "
check "curl: durations = curl's time_total" \
	test "$(col "$T/curl.out" duration_us | head -1)" = "$(awk -F, 'NR == 1 { printf "%.0f", $1 * 1000000 }' "$T/curl.csv")"

# ---- JMeter, written by hand (fixtures/runners/README.txt) ----
J=$HERE/fixtures/runners
"$V" ingest $L -o "$T/jm.csv" "$J/jmeter-header.jtl" 2> "$T/jm.err"
check "jmeter: detected and read (exit 0)" test $? = 0
check "jmeter: 5 samples; the 2 transaction rows left out" test "$(rows "$T/jm.csv")" = 5
check "jmeter: a warning counts the transaction rows" grep -q 'left out 2 transaction-controller rows' "$T/jm.err"
check "jmeter: label -> workload" test "$(col "$T/jm.csv" workload | sort -u | tr '\n' ' ')" = "home search "
check "jmeter: success false is a failure, told by its code" \
	test "$(col "$T/jm.csv" status | tr '\n' ' ')" = "ok ok failed-500 failed-200 ok "
check "jmeter: elapsed in ms" test "$(col "$T/jm.csv" duration_us | head -1)" = 12000
"$V" ingest $L -o "$T/jm2.csv" "$J/jmeter-noheader.jtl" 2> "$T/jm2.err"
check "jmeter without a header row: 4 samples in JMeter's default columns" \
	test "$(rows "$T/jm2.csv")" = 4 -a "$(col "$T/jm2.csv" bytes | tr '\n' ' ')" = "612 2048 0 612 "
check "jmeter without a header row: the refused connection failed" \
	test "$(count "$T/jm2.csv" status 'failed-Non HTTP response code: java.net.ConnectException')" = 1
"$V" ingest $L --label workload=all -o "$T/jm3.csv" "$J/jmeter-header.jtl" 2> /dev/null
check "jmeter: --label workload wins over the label column" test "$(col "$T/jm3.csv" workload | sort -u)" = all

# ---- three runners in one run, from another folder (--sources) ----
mkdir -p "$T/mix" "$T/elsewhere"
cp "$T/ab.tsv" "$T/curl.csv" "$T/wrk-page.html.log" "$T/mix/"
cat > "$T/mix/sources.txt" <<EOF
# runner             its own options
ab.tsv               --label client=ab
curl.csv             --label client=curl
wrk-page.html.log    --format native --label client=wrk
EOF
(cd "$T/elsewhere" && "$V" run -o out/a/b --bootstrap 0 $L --label workload=web --sources ../mix/sources.txt \
	> run.out 2> run.err)
check "mix: run from another folder exits 0 (template found beside the binary)" test $? = 0
check "mix: -o a/b/c made its parents" test -s "$T/elsewhere/out/a/b/report.xhtml"
check "mix: three formats in inputs.csv" test "$(col "$T/elsewhere/out/a/b/inputs.csv" format | tr '\n' ' ')" = "ab curl native "
check "mix: three configurations ranked" \
	test "$(col "$T/elsewhere/out/a/b/ranks.csv" name | sort -u | tr '\n' ' ')" = "ab curl wrk "
check "mix: a warning says the three measured different amounts of work" \
	grep -q 'web, internal: the repetitions of its configurations hold different numbers of operations (5 in curl to [0-9]* in wrk), so each one.s busy time measures a different amount of work' "$T/elsewhere/run.err"
check "mix: and ranks.csv's note says it too" \
	grep -q 'their repetitions hold different numbers of operations' "$T/elsewhere/out/a/b/ranks.csv"
check "mix: curl's failed requests keep it from being named fastest" \
	grep -q 'curl: 2 of 5 operations failed (40%): not eligible' "$T/elsewhere/run.err"
check "mix: the report is valid XHTML" xmllint --noout --valid "$T/elsewhere/out/a/b/report.xhtml"
# a binary away from any templates/ (not installed either): a clear error;
# --template wins; templates/ beside it found
mkdir -p "$T/lone/bin" "$T/lone/run"
cp "$V" "$T/lone/bin/vmnetrank"
(cd "$T/lone/run" && ../bin/vmnetrank run -o o1 --bootstrap 0 $L --label workload=web ../../mix/wrk-page.html.log > /dev/null 2> e1)
check "template: none beside a lone binary: exit 1, says where it looked" \
	test $? = 1 -a -n "$(grep 'cannot read the template: .* give --template FILE' "$T/lone/run/e1")"
(cd "$T/lone/run" && ../bin/vmnetrank run -o o2 --bootstrap 0 $L --label workload=web \
	--template "$HERE/templates/report.xhtml" ../../mix/wrk-page.html.log > /dev/null 2>&1)
check "template: --template wins" test $? = 0 -a -s "$T/lone/run/o2/report.xhtml"
cp -r "$HERE/templates" "$T/lone/"
(cd "$T/lone/run" && ../bin/vmnetrank run -o o3 --bootstrap 0 $L --label workload=web ../../mix/wrk-page.html.log > /dev/null 2>&1)
check "template: templates/ one folder up from the binary is found" test $? = 0 -a -s "$T/lone/run/o3/report.xhtml"
printf 'ab.tsv --bogus 1\n' > "$T/mix/bad.txt"
"$V" run -o "$T/bad" $L --label workload=web --sources "$T/mix/bad.txt" > /dev/null 2> "$T/bad.err"
check "sources: an unknown option names FILE:LINE:COL, exit 2" \
	test $? = 2 -a -n "$(grep "bad.txt:1:8: error: unknown option '--bogus'" "$T/bad.err")"

# ---- samples.csv beside raw logs ----
cp "$T/hf.json" "$T/mix/hf-a.json"
cp "$T/hf-fail.json" "$T/mix/hf-b.json"
"$V" ingest $L --label workload=sleep -o "$T/mix/a.csv" "$T/mix/hf-a.json" 2> /dev/null
"$V" stats -o "$T/st1" $L --sources /dev/null "$T/mix/a.csv" "$T/mix/hf-b.json" > /dev/null 2>&1
mkdir -p "$T/st1" "$T/st2"
"$V" ingest $L --label workload=sleep -o "$T/mix/ab2.csv" "$T/mix/hf-a.json" "$T/mix/hf-b.json" 2> /dev/null
"$V" stats -o "$T/st2" "$T/mix/ab2.csv" > /dev/null 2>&1
printf '%s\n' "a.csv" "hf-b.json --label direction=internal --label workload=sleep" > "$T/mix/st.txt"
"$V" stats -o "$T/st1" --sources "$T/mix/st.txt" 2> "$T/st1.err"
check "samples.csv + a raw log: stats exits 0" test $? = 0
check "samples.csv + a raw log: the same figures as both raw logs" cmp -s "$T/st1/summary.csv" "$T/st2/summary.csv"
check "samples.csv + a raw log: reps.csv too" cmp -s "$T/st1/reps.csv" "$T/st2/reps.csv"
"$V" ingest $L --label workload=sleep -o /dev/null "$T/mix/a.csv" "$T/mix/hf-a.json" 2> "$T/dup.err"
check "samples.csv + its own raw log: refused (counted twice)" \
	test $? = 1 -a -n "$(grep 'holds this log' "$T/dup.err")"

# stats on two samples.csv written by hand (not by ingest): the figures of
# each, together (reps.csv's file column aside: a file without a source
# column is named by its path through ingest, left empty by stats alone)
F=$HERE/fixtures/stats
mkdir -p "$T/s1" "$T/s2" "$T/s3"
"$V" stats -o "$T/s1" "$F/small.csv" 2> /dev/null
"$V" stats -o "$T/s2" "$F/warmup.csv" 2> /dev/null
"$V" stats -o "$T/s3" "$F/small.csv" "$F/warmup.csv" 2> "$T/s3.err"
check "stats on two samples.csv: exit 0" test $? = 0
for f in summary hist; do
	check "stats on two samples.csv: $f.csv = those of each" \
		test "$( (tail -n +2 "$T/s1/$f.csv"; tail -n +2 "$T/s2/$f.csv") | sort)" = "$(tail -n +2 "$T/s3/$f.csv" | sort)"
done
check "stats on two samples.csv: reps.csv = those of each" \
	test "$( (tail -n +2 "$T/s1/reps.csv"; tail -n +2 "$T/s2/reps.csv") | cut -d, -f1-3,5- | sort)" = "$(tail -n +2 "$T/s3/reps.csv" | cut -d, -f1-3,5- | sort)"

# ---- date-times, --tz, --no-header ----
printf 'when,took_ms\n2026-12-01T10:00:00.5+01:00,5\n2026-12-01 10:00:01Z,5\n' > "$T/iso.csv"
"$V" ingest $L --label workload=w --map start=when:iso --map duration=took_ms:ms -o "$T/iso.out" "$T/iso.csv" 2> /dev/null
check "iso: offsets and Z read exactly" \
	test "$(col "$T/iso.out" start_us | tr '\n' ' ')" = "$(($(date -u -d '2026-12-01 09:00:00' +%s) * 1000000 + 500000)) $(($(date -u -d '2026-12-01 10:00:01' +%s) * 1000000)) "
check "iso: the fraction sets the resolution" test "$(col "$T/iso.out" start_res_us | tr '\n' ' ')" = "100000 1000000 "
printf 'when,took_ms\n2026-07-01 12:00:00,5\n' > "$T/tz.csv"
"$V" ingest $L --label workload=w --map start=when:iso --map duration=took_ms:ms --tz Europe/Berlin -o "$T/tz.out" "$T/tz.csv" 2> /dev/null
check "tz: Europe/Berlin in summer is +02:00" test "$(col "$T/tz.out" start_us)" = "$(($(date -u -d '2026-07-01 10:00:00' +%s) * 1000000))"
printf 'when,took_ms\n2026-03-29 02:30:00,5\n2026-10-25 02:30:00,5\n' > "$T/dst.csv"
"$V" ingest $L --label workload=w --map start=when:iso --map duration=took_ms:ms --tz Europe/Berlin -o /dev/null "$T/dst.csv" 2> "$T/dst.err"
check "tz: a skipped hour is refused, never guessed" grep -q 'dst.csv:2:1: error: .*does not exist in the --tz zone' "$T/dst.err"
check "tz: a repeated hour is refused, never guessed" grep -q 'dst.csv:3:1: error: .*happens twice in the --tz zone' "$T/dst.err"
"$V" ingest --tz Mars/Olympus $L --label workload=w -o /dev/null "$T/tz.csv" 2> "$T/tzbad.err"
check "tz: an unknown zone is a usage error" test $? = 2 -a -n "$(grep "tz 'Mars/Olympus': no such zone" "$T/tzbad.err")"
printf '1796160000.5,0.25\n1796160001.5,0.5\n' > "$T/nohdr.csv"
"$V" ingest $L --label workload=w --no-header --map start=1:s --map duration=2:s -o "$T/nohdr.out" "$T/nohdr.csv" 2> /dev/null
check "no-header: columns by number, both rows data" \
	test "$(col "$T/nohdr.out" duration_us | tr '\n' ' ')" = "250000 500000 "
printf '{\n  "results": [\n    {"command": "x", "times": [0.1,]}\n  ]\n}\n' > "$T/broken.json"
"$V" ingest $L --label workload=w --format hyperfine -o /dev/null "$T/broken.json" 2> "$T/broken.err"
check "json: a syntax error names line and column" grep -q 'broken.json:3:.*: error: bad JSON: ' "$T/broken.err"

lighttpd_stop "$T"
LIGHTTPD_PORT=
# the figures, for a person (run.sh shows only the last line)
echo "runners: ab: $(rows "$T/ab.csv") rows; ab says Complete requests $complete"
echo "runners: siege -v: $(rows "$T/sv.csv") rows, $(count "$T/sv.csv" status ok) ok; siege says Transactions $trans, Successful $okay"
echo "runners: hyperfine: $(rows "$T/hf.csv") runs, $(count "$T/hf.csv" status exit-1) exit-1"
echo "runners: iperf3: $(rows "$T/ipc.csv") intervals of 2 tests; bytes of test 1's measured ones $(col "$T/ipc-m.csv" bytes | awk '{ s += $1 } END { printf "%.0f", s }')"
echo "runners: wrk: $(rows "$T/wrk.csv") rows; wrk says $reqs requests; 404 run: $(count "$T/wrk404.csv" status 404) = wrk's Non-2xx $n404"
echo "runners: curl: $(col "$T/curl.out" status | tr '\n' ' ')"
echo "runners: jmeter: $(rows "$T/jm.csv") samples ($(col "$T/jm.csv" status | grep -vc '^ok$') failed), headerless $(rows "$T/jm2.csv")"
echo "runners: $pass passed, $fail failed"
[ "$fail" = 0 ]
