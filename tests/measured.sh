#!/bin/sh
# What is measured, end to end with real runs on loopback: failed
# operations are never timed as successes (a collector run against a
# server answering 404), fixed-duration runs are ranked by throughput
# (iperf3, two rates), and a killed collector log loses its partial last
# repetition.  Expected values come from the runners' own output (iperf3's
# JSON by jq, the raw logs through awk) or from the test's own arguments.
#   sh tests/measured.sh VMNETRANK COLLECT
set -u
V=$1
C=$2
T=$(mktemp -d)
cleanup() {
	for p in "$T"/*.pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL measured: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
# the rows of ranks.csv (view VIEW) as "name|shared|eligible|failed_share|mean"
# (the names here hold no comma, and every column read comes before the
# quoted metric_note)
ranks() {
	awk -F, -v view="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		$1 == view { print $h["name"] "|" $h["shared"] "|" $h["eligible"] "|" $h["failed_share"] "|" $h["mean"] }' "$1"
}

# ---- 1. a configuration whose every request fails is not the fastest ----
mkdir -p "$T/www" && head -c 256 /dev/zero | tr '\0' x > "$T/www/page.html"
. "$(dirname "$0")/lighttpd.sh"
if lighttpd_start "$T" "$T/www"; then
	url=http://127.0.0.1:$LIGHTTPD_PORT
	for vm in healthy broken; do
		path=page.html
		[ $vm = broken ] && path=missing.html
		# --max-failures 0: the broken run goes on to the end
		timeout 60 "$C" http --reps 3 --ops 30 --max-failures 0 --no-progress \
			--label vm=$vm --direction external --workload web \
			-o "$T/f/vm=$vm/web.log" "$url/$path" 2> "$T/c-$vm.err"
		echo $? > "$T/c-$vm.rc"
	done
	lighttpd_stop "$T"
	check "404: the healthy run exits 0" test "$(cat "$T/c-healthy.rc")" = 0
	check "404: the broken run exits 1, its 90 requests logged as http-404" \
		test "$(cat "$T/c-broken.rc")" = 1 -a "$(grep -c ',http-404,' "$T/f/vm=broken/web.log")" = 90
	"$V" run -o "$T/r404" --bootstrap 500 "$T/f" > "$T/r404.out" 2> "$T/r404.err"
	check "404: run exits 0" test $? = 0
	check "404: the terminal names the healthy one fastest" \
		grep -q '^web, external (wall time, lower is better): fastest: healthy, mean .*, the only one without failed operations' "$T/r404.out"
	check "404: the terminal shows the other as failed" \
		grep -q '^  not eligible: broken: 90 of 90 operations failed (100%), no times at all$' "$T/r404.out"
	check "404: a warning says so too" \
		grep -q 'web, external: broken: every operation failed (90 of 90): no times at all' "$T/r404.err"
	check "404: ranks.csv: healthy first and eligible, broken failed, with no mean" \
		test "$(ranks "$T/r404/ranks.csv" external | cut -d'|' -f1-4 | tr '\n' ' ')" = "healthy|1|yes|0 broken|failed|no|1 "
	check "404: ranks.csv: broken has no time at all" \
		test "$(ranks "$T/r404/ranks.csv" external | awk -F'|' '$1 == "broken" { print "[" $5 "]" }')" = "[]"
	check "404: the report names the healthy one fastest" \
		grep -q '<span class="winner">healthy</span> is the fastest, as the only configuration without failed operations' "$T/r404/report.xhtml"
	check "404: the report shows the other as failed" \
		grep -q '<span class="failed">broken</span> (90 of 90 operations failed, 100%: no times at all)' "$T/r404/report.xhtml"
	check "404: summary.csv counts the failures and times none of them" \
		test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
			$h["vm"] == "broken" && $h["metric"] == "wall" { print $h["failed_ops"] "/" $h["n_ops"] "/" $h["n_reps"] "/" $h["mean"] "/" $h["op_mean"] }' "$T/r404/summary.csv")" = "90/90/0//"
	head -3 "$T/r404.out" | sed 's/^/measured: 404 run: /'
else
	bad "lighttpd did not start: $(cat "$T/lighttpd.start")"
fi

# ---- 2. fixed-duration runs (iperf3 -t 1) are ranked by throughput ----
port=$((40000 + $$ % 20000))
iperf3 -s -B 127.0.0.1 -p $port > "$T/iperf-s.log" 2>&1 & echo $! > "$T/iperf.pid"
for i in 1 2 3 4 5 6 7 8 9 10; do
	grep -q 'Server listening' "$T/iperf-s.log" 2> /dev/null && break
	sleep 0.2
done
runs_ok=0
for rate in 1000M 200M; do
	mkdir -p "$T/ip/rate=$rate"
	for run in 1 2 3 4; do
		f=$T/ip/rate=$rate/run$run
		# a run the server turned away (busy still with the last one:
		# iperf3 writes {"error": ...} and no totals) is tried again,
		# three times at most
		for try in 1 2 3; do
			timeout 30 iperf3 -c 127.0.0.1 -p $port -t 1 -i 0.25 -b $rate -J > "$f.json" 2> "$f.err" &&
				! grep -q '"error"' "$f.json" && { runs_ok=$((runs_ok + 1)); break; }
			sleep 0.5
		done
		rm -f "$f.err"
	done
done
kill "$(cat "$T/iperf.pid")" 2>/dev/null
rm -f "$T/iperf.pid"
check "iperf3: 8 runs of 1 s" test $runs_ok = 8
# iperf3's own JSON, through the iperf3 preset (one interval an
# operation; tests/runners.sh checks it against a jq conversion)
opts="--label direction=internal --label workload=iperf"
# shellcheck disable=SC2086
"$V" run -o "$T/ipw" --bootstrap 0 $opts "$T/ip" > "$T/ipw.out" 2> "$T/ipw.err"
check "iperf3: ranked by wall time, the two rates are tied (every run lasts 1 s)" \
	test "$(ranks "$T/ipw/ranks.csv" internal | cut -d'|' -f2 | sort -u)" = "1="
# shellcheck disable=SC2086
"$V" run -o "$T/ipt" --bootstrap 0 --metric throughput $opts "$T/ip" > "$T/ipt.out" 2> "$T/ipt.err"
check "iperf3: ranked by throughput, 1000M proven faster than 200M" \
	test "$(ranks "$T/ipt/ranks.csv" internal | cut -d'|' -f1,2 | tr '\n' ' ')" = "1000M|1 200M|2 "
check "iperf3: one file a run: 4 repetitions each" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["metric"] == "throughput" { print $h["n_reps"] }' "$T/ipt/summary.csv" | tr '\n' ' ')" = "4 4 "
check "iperf3: the terminal says it in bytes per second" \
	grep -q '^iperf, internal (throughput, higher is better): fastest: 1000M, mean [0-9.]* MB/s, 95% CI .*, proven faster than every other one; [0-9.]*x \[[0-9.]*, [0-9.]*\] higher than the next, 200M$' "$T/ipt.out"
# the order and size iperf3 itself reports: its mean bytes per second
for rate in 1000M 200M; do
	ours=$(ranks "$T/ipt/ranks.csv" internal | awk -F'|' -v n="$rate" '$1 == n { print $5 }')
	theirs=$(for j in "$T"/ip/rate=$rate/*.json; do jq '.end.sum_sent.bytes / .end.sum_sent.seconds' "$j"; done |
		awk '{ s += $1; n++ } END { printf "%.0f", s / n }')
	check "iperf3 $rate: our throughput $ours B/s is iperf3's own $theirs B/s within 2%" \
		awk -v a="$ours" -v b="$theirs" 'BEGIN { d = a / b - 1; exit !(d < 0.02 && d > -0.02) }'
done
sed -n 1p "$T/ipw.out" | sed 's/^/measured: iperf3 by wall time: /'
sed -n 1p "$T/ipt.out" | sed 's/^/measured: iperf3 by throughput: /'

# ---- 3. a killed collector: flagged, its partial last repetition left out ----
mkdir -p "$T/k"
"$C" exec --reps 3 --ops 10 --no-progress --direction internal --workload w \
	-o "$T/k/killed.log" -- sleep 0.02 2> /dev/null & pid=$!
sleep 0.55
kill -9 $pid
wait $pid 2> /dev/null
check "killed: no trailer" test "$(grep -c '^# finished\|^# interrupted' "$T/k/killed.log")" = 0
last=$(grep -v '^#' "$T/k/killed.log" | tail -1 | cut -d, -f1)
inlast=$(grep -c "^$last," "$T/k/killed.log")
total=$(grep -v -e '^#' -e '^rep,' "$T/k/killed.log" | wc -l)
[ "$inlast" -lt 10 ] && [ "$last" -gt 1 ] && want_left=$inlast || want_left=0
"$V" ingest --inputs "$T/k/in.csv" -o "$T/k/s.csv" "$T/k/killed.log" 2> "$T/k/err"
check "killed: it ingests" test $? = 0
check "killed: inputs.csv: interrupted, $want_left operations left out" \
	test "$(awk -F, 'NR == 2 { print $9 "," $10 }' "$T/k/in.csv")" = "yes,$want_left"
check "killed: samples.csv keeps the complete repetitions ($((total - want_left)) of $total rows)" \
	test "$(($(wc -l < "$T/k/s.csv") - 1))" = $((total - want_left))
check "killed: a warning names it" grep -q "killed.log: warning: the log has no closing '# finished' line: its collector was killed" "$T/k/err"

echo "measured: $pass passed, $fail failed"
[ "$fail" = 0 ]
