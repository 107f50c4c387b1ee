#!/bin/sh
# Tests of vmnetrank-collect against servers started here on loopback
# (lighttpd, tests/fakehttp, its own tcp-sink).  Expected values come from
# the test's own arguments, from curl, from wc/stat, or are written by hand.
#   sh tests/collect.sh COLLECT VMNETRANK FAKEHTTP [STATIC]
set -u
C=$1
V=$2
FAKE=$3
STATIC=${4:-}
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
bad() { fail=$((fail + 1)); echo "FAIL collect: $*"; }
check() { name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }
# field N of samples.csv by column name
col() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$1"; }
rows() { echo $(($(wc -l < "$1") - 1)); }
ms_now() { echo $(($(date +%s%N) / 1000000)); }
# signalled SECS SIG COMMAND...: run COMMAND in the background, send it SIG
# after SECS seconds and wait for it; its exit status, with KILLED_MS and
# ENDED_MS the times (ms) of the signal and of its end
signalled() {
	_secs=$1 _sig=$2
	shift 2
	"$@" &
	_pid=$!
	sleep "$_secs"
	KILLED_MS=$(ms_now)
	kill -"$_sig" $_pid
	wait $_pid
	_st=$?
	ENDED_MS=$(ms_now)
	return $_st
}

# ---- 1. what it is built from ----
libs=$(ldd "$C" 2>&1)
check "collector links none of GSL, cairo, libxml2, libcsv, nettle" \
	sh -c "! printf '%s' \"\$1\" | grep -Eq 'gsl|cairo|xml2|csv|nettle|fontconfig'" _ "$libs"
case "$C" in build/*)
	# the plain build: libc alone (sanitizer builds add their runtimes)
	others=$(printf '%s\n' "$libs" | grep -v -e linux-vdso -e 'libc\.so' -e 'ld-linux' | grep -c .)
	check "plain build needs libc alone ($others other libraries)" test "$others" = 0
esac
if [ -n "$STATIC" ]; then
	check "static build: ldd says it is not dynamic" \
		sh -c "ldd '$STATIC' 2>&1 | grep -q 'not a dynamic executable'"
	check "static build runs" sh -c "'$STATIC' --version | grep -q '^vmnetrank-collect '"
fi

# ---- 2. usage errors exit 2 with a message ----
usage_case() {
	name=$1 want=$2
	shift 2
	"$C" "$@" > "$T/u.out" 2> "$T/u.err"
	st=$?
	check "usage: $name exits 2 (got $st)" test "$st" = 2
	check "usage: $name says '$want'" grep -q -- "$want" "$T/u.err"
	check "usage: $name writes no log" test ! -s "$T/u.out"
}
usage_case "unknown mode" "did you mean 'http'" htp http://127.0.0.1/
usage_case "unknown option" "did you mean '--reps'" http --rep 3 http://127.0.0.1/
usage_case "zero reps" "expected an integer from 1" http --reps 0 http://127.0.0.1/
usage_case "https" "plain HTTP only" http https://127.0.0.1/
usage_case "not a URL" "expected a URL" http 127.0.0.1/
usage_case "option of another mode" "is an option of the files mode" http --make 2x1K http://127.0.0.1/
usage_case "files without --make" "expected --make" files --write "$T"
usage_case "files with --ops" "not --ops" files --make 2x1K --ops 3 "$T"
usage_case "bad --make" "expected NxSIZE" files --make 1000 "$T"
usage_case "missing command" "is not an executable" exec -- /no/such/thing
usage_case "bad label" "written by the collector" exec --label host=x -- true
usage_case "bad direction" "expected internal or external" exec --direction sideways -- true
usage_case "tcp without --bytes" "expected --bytes" tcp 127.0.0.1:9
echo "keep me" > "$T/old.log"
usage_case "existing log" "never overwritten" exec -o "$T/old.log" -- true
check "the existing log is untouched" test "$(cat "$T/old.log")" = "keep me"

for bad in 0 257 x; do
	"$C" http --concurrency $bad --ops 1 -o /dev/null http://127.0.0.1:1/ 2>/dev/null
	check "--concurrency $bad: usage error" test $? = 2
done
"$C" tcp --concurrency 2 --bytes 1K 127.0.0.1:1 2>/dev/null
check "tcp --concurrency: an option of http only, exit 2" test $? = 2
"$C" http --concurrency 8 --meta clients=3 --ops 1 -o /dev/null http://127.0.0.1:1/ 2>/dev/null
check "--meta clients=3 against --concurrency 8: exit 2" test $? = 2

# ---- 3. http against lighttpd ----
mkdir -p "$T/www"
head -c 1000 /dev/zero | tr '\0' y > "$T/www/page.html"
printf 'vmnetrank-page-marker\n' >> "$T/www/page.html"
. "$(dirname "$0")/lighttpd.sh"
if lighttpd_start "$T" "$T/www"; then
	port=$LIGHTTPD_PORT
	URL=http://127.0.0.1:$port/page.html
	for how in keepalive connect-each; do
		extra="" hdr="Connection: keep-alive"
		[ $how = connect-each ] && extra=--connect-each hdr="Connection: close"
		# what one response weighs, as curl counts it: headers + body
		want_bytes=$(curl -s -H "$hdr" -o /dev/null -w '%{size_header} %{size_download}' "$URL" | awk '{ print $1 + $2 }')
		"$C" http $extra --reps 3 --ops 7 --warmup 4 --expect vmnetrank-page-marker \
			--label vm=QEMU --label netmode=TAP --direction internal --workload web \
			-o "$T/http-$how.log" "$URL" 2> "$T/http.err"
		check "http $how: exit 0" test $? = 0
		"$V" ingest --inputs "$T/in-$how.csv" -o "$T/http-$how.csv" "$T/http-$how.log"
		check "http $how: the log ingests" test $? = 0
		check "http $how: 3 x 7 = 21 samples (warm-up left out)" test "$(rows "$T/http-$how.csv")" = 21
		check "http $how: labels vm, netmode, workload, direction" \
			test "$(head -1 "$T/http-$how.csv" | cut -d, -f1-4)" = "netmode,vm,workload,direction"
		check "http $how: every row QEMU,TAP,web,internal" \
			test "$(cut -d, -f1-4 "$T/http-$how.csv" | sed 1d | sort -u)" = "TAP,QEMU,web,internal"
		check "http $how: every status ok" test "$(col "$T/http-$how.csv" status | sort -u)" = ok
		check "http $how: bytes = curl's header + body size ($want_bytes)" \
			test "$(col "$T/http-$how.csv" bytes | sort -u)" = "$want_bytes"
		check "http $how: 4 warm-up operations counted in inputs.csv" \
			test "$(col "$T/in-$how.csv" warmup)" = 4
		"$V" ingest --include-warmup -o "$T/hw.csv" "$T/http-$how.log"
		check "http $how: --include-warmup keeps 25" test "$(rows "$T/hw.csv")" = 25
		check "http $how: warm-up rows are rep 0" \
			test "$(awk -F, 'NR > 1 && $5 == 0' "$T/hw.csv" | wc -l)" = 4
		check "http $how: reps 1..3, seq 1..7" \
			test "$(awk -F, 'NR > 1 { print $5 "," $6 }' "$T/http-$how.csv" | sort -u | wc -l)" = 21
	done
	check "http: the header names the command and the clocks" \
		sh -c "grep -q '^# command=.*--connect-each' '$T/http-connect-each.log' &&
		       grep -q '^# clock=start CLOCK_REALTIME' '$T/http-connect-each.log' &&
		       grep -Eq '^# clock_res_ns=[0-9]+$' '$T/http-connect-each.log' &&
		       grep -q '^# host=' '$T/http-connect-each.log' &&
		       grep -q '^# kernel=' '$T/http-connect-each.log'"
	"$C" http --ops 3 --expect not-on-the-page -o "$T/exp.log" "$URL" 2>/dev/null
	check "http: --expect text absent: exit 1" test $? = 1
	check "http: --expect text absent: 3 expect-missing" \
		test "$(grep -c ',expect-missing,' "$T/exp.log")" = 3
	"$C" http --ops 2 -o "$T/404.log" "http://127.0.0.1:$port/missing" 2>/dev/null
	check "http: a missing page is http-404" test "$(grep -c ',http-404,' "$T/404.log")" = 2
	# --concurrency: N connections in flight on one event loop
	for how in keepalive connect-each; do
		extra="" hdr="Connection: keep-alive"
		[ $how = connect-each ] && extra=--connect-each hdr="Connection: close"
		want_bytes=$(curl -s -H "$hdr" -o /dev/null -w '%{size_header} %{size_download}' "$URL" | awk '{ print $1 + $2 }')
		"$C" http $extra --concurrency 8 --reps 2 --ops 400 --warmup 8 --expect vmnetrank-page-marker \
			--label vm=QEMU --direction internal --workload web \
			-o "$T/c8-$how.log" "$URL" 2> "$T/c8.err"
		check "http --concurrency 8 $how: exit 0" test $? = 0
		check "http --concurrency 8 $how: the header says meta.clients=8" grep -qx '# meta.clients=8' "$T/c8-$how.log"
		check "http --concurrency 8 $how: reps 1..2 each hold seq 1..400 once, warm-up 1..8" \
			test "$(awk -F, '/^[0-9]/ { print $1 "," $2 }' "$T/c8-$how.log" | sort -u | awk -F, '{ n[$1]++; if ($2 > m[$1]) m[$1] = $2 } END { print n[0], m[0], n[1], m[1], n[2], m[2] }')-$(grep -c '^[0-9]' "$T/c8-$how.log")" = "8 8 400 400 400 400-808"
		# in flight at each start: the operations begun and not yet
		# ended (ends cut by 1 us: a slot starts its next one in the
		# microsecond its last ended)
		inflight=$(awk -F, '/^[0-9]/ && $7 == 0 { print $3, 1; print $4 - 1, -1 }' "$T/c8-$how.log" | sort -n -k1,1 -k2,2 |
			awk '{ n += $2; if (n > m) m = n } END { print m }')
		check "http --concurrency 8 $how: operations overlap, at most 8 at once (max $inflight)" \
			test "$inflight" -ge 2 -a "$inflight" -le 8
		"$V" ingest -o "$T/c8-$how.csv" "$T/c8-$how.log" 2> "$T/c8-ingest.err"
		check "http --concurrency 8 $how: the log ingests, 800 samples, no warning" \
			test "$?-$(rows "$T/c8-$how.csv")-$(wc -c < "$T/c8-ingest.err")" = "0-800-0"
		check "http --concurrency 8 $how: every status ok, bytes = curl's ($want_bytes)" \
			test "$(paste -d, "$(col "$T/c8-$how.csv" bytes > "$T/c8.b"; echo "$T/c8.b")" "$(col "$T/c8-$how.csv" status > "$T/c8.s"; echo "$T/c8.s")" | sort -u)" = "$want_bytes,ok"
	done
	check "http: one client's header says meta.clients=1" grep -qx '# meta.clients=1' "$T/http-keepalive.log"
	signalled 0.5 INT "$C" http --concurrency 4 --ops 100000000 --no-progress -o "$T/c4int.log" "$URL" 2>/dev/null
	check "http --concurrency 4: SIGINT stops it with 130" test $? = 130
	check "http --concurrency 4: the log ends '# interrupted after rep 1 op N (SIGINT)'" \
		sh -c "tail -1 '$T/c4int.log' | grep -Eq '^# interrupted after rep 1 op [0-9]+ \(SIGINT\)$'"
	check "http --concurrency 4: every operation logged when SIGINT came is complete and ok" \
		test "$(awk -F, '/^[0-9]/ { print $6 }' "$T/c4int.log" | sort -u)" = ok
	if [ -n "$STATIC" ]; then
		"$STATIC" http --ops 5 --direction external --workload web --label vm=X \
			-o "$T/static.log" "http://localhost:$port/page.html" 2>/dev/null
		check "static build: http by host name runs" test $? = 0
		"$V" ingest -o "$T/static.csv" "$T/static.log" 2>/dev/null
		check "static build: its log ingests, 5 samples" test "$(rows "$T/static.csv")" = 5
	fi
	lighttpd_stop "$T"
else
	bad "lighttpd did not start: $(cat "$T/lighttpd.start")"
fi

# ---- 4. http against a misbehaving server ----
fake() {
	rm -f "$T/fake.port" "$T/fake.port.log"
	"$FAKE" "$T/fake.port" "$1" & echo $! > "$T/fake.pid"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		[ -s "$T/fake.port" ] && break
		sleep 0.05
	done
	FPORT=$(cat "$T/fake.port")
}
unfake() { kill "$(cat "$T/fake.pid")" 2>/dev/null; wait "$(cat "$T/fake.pid")" 2>/dev/null; rm -f "$T/fake.pid"; }
fail_case() {
	mode=$1 want=$2
	fake "$mode"
	"$C" http --ops 4 --timeout 2000 --direction internal --workload web \
		-o "$T/f-$mode.log" "http://127.0.0.1:$FPORT/" 2>/dev/null
	st=$?
	unfake
	check "fake $mode: exit 1, not a crash (got $st)" test "$st" = 1
	check "fake $mode: 4 operations logged as $want" \
		test "$(grep -c ",$want," "$T/f-$mode.log")" = 4
	"$V" ingest -o "$T/f.csv" "$T/f-$mode.log" 2>/dev/null
	check "fake $mode: the log ingests with status $want" \
		test "$(col "$T/f.csv" status | sort -u)" = "$want"
}
fail_case 500 http-500
fail_case close closed
fail_case midway closed
fail_case garbage bad-response
ok_case() {
	mode=$1 n=$2
	fake "$mode"
	"$C" http --ops $n ${3:+--expect "$3"} -o "$T/o-$mode.log" "http://127.0.0.1:$FPORT/" 2>/dev/null
	st=$?
	unfake
	check "fake $mode: exit 0 (got $st)" test "$st" = 0
	check "fake $mode: $n ok" test "$(grep -c ',ok,' "$T/o-$mode.log")" = "$n"
}
ok_case chunked 3 needle
check "fake chunked: bytes = the whole chunked response" \
	test "$(awk -F, '$6 == "ok" { print $5 }' "$T/o-chunked.log" | sort -u)" = \
	"$(printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7;x=y\r\nthe nee\r\n3\r\ndle\r\n0\r\nX-Trailer: 1\r\n\r\n' | wc -c)"
check "fake chunked: one connection kept alive" test "$(wc -l < "$T/fake.port.log")" = 1
ok_case eof 3
check "fake eof: a body read to the close; a connection each" test "$(wc -l < "$T/fake.port.log")" = 3
ok_case idle-close 5
check "fake idle-close: a stale keep-alive connection is redialled" test "$(wc -l < "$T/fake.port.log")" = 5
ok_case continue 3

# issue 13, item 3: one operation could last forever (--timeout bounded
# only silence; an endless body ran 381 s and was logged ok with 721 GB).
# Now --timeout bounds the whole operation, a body past --max-body fails,
# two Content-Length headers are a bad response, and bytes after a
# response are not counted into it
bounded() { # MODE WANT-STATUS MAX-MS [collector options...]
	mode=$1 want=$2 max=$3
	shift 3
	fake "$mode"
	rm -f "$T/b-$mode.log"
	t0=$(ms_now)
	"$C" http --ops 1 --max-failures 0 "$@" -o "$T/b-$mode.log" "http://127.0.0.1:$FPORT/" 2> /dev/null
	st=$? t1=$(ms_now)
	unfake
	check "fake $mode ($*): exit 1 within $max ms (took $((t1 - t0)) ms), logged $want" \
		test "$st" = 1 -a $((t1 - t0)) -lt "$max" -a "$(grep -c "^1,1,[0-9]*,[0-9]*,[0-9]*,$want,0$" "$T/b-$mode.log")" = 1
}
bounded endless-body timeout 4000 --timeout 1000 --max-body 0
bounded endless-chunks timeout 4000 --timeout 1000 --max-body 0
bounded endless-trailer timeout 4000 --timeout 1000 --max-body 0
bounded trickle timeout 4000 --timeout 1000
bounded endless-continue bad-response 4000 --timeout 0
bounded huge-length too-large 4000
bounded endless-body too-large 8000 --timeout 0 --max-body 1M
bounded endless-chunks too-large 8000 --timeout 0 --max-body 1M
bounded endless-trailer too-large 8000 --timeout 0 --max-body 1M
bounded endless-body too-large 30000 --timeout 0
check "fake endless-body: the default --max-body is 1 GiB (stopped at 1 to 1.01 GiB)" \
	test "$(awk -F, '$1 == 1 { print ($5 > 1073741824 && $5 < 1084479242) }' "$T/b-endless-body.log")" = 1
d=$(awk -F, '$1 == 1 { print $4 - $3 }' "$T/b-trickle.log")
check "fake trickle: the timed-out operation lasted 1.0 to 1.5 s ($d us)" test "$d" -ge 1000000 -a "$d" -lt 1500000
fail_case two-lengths bad-response
fake extra-after
"$C" http --ops 2 -o "$T/extra.log" "http://127.0.0.1:$FPORT/" 2> /dev/null
unfake
check "fake extra-after: each response counts its own 38 + 3 bytes, not the 11 after it" \
	test "$(grep -c '^1,[12],[0-9]*,[0-9]*,41,ok,0$' "$T/extra.log")" = 2
check "fake extra-after: the connection out of step is not reused" test "$(wc -l < "$T/fake.port.log")" = 2
"$C" http --max-body 1X http://127.0.0.1:1/ 2> "$T/mb.err"
check "--max-body 1X: exit 2 with a message" test $? = 2 -a "$(grep -c "max-body '1X': expected a byte count" "$T/mb.err")" = 1
# the first SIGTERM ends the operation in flight (before, it waited for
# the operation to end: forever with --timeout 0)
fake trickle
signalled 0.5 TERM "$C" http --ops 1 --timeout 0 -o "$T/tt.log" "http://127.0.0.1:$FPORT/" 2> /dev/null
st=$?
unfake
check "SIGTERM in a never-ending operation: exit 143 within 1 s (took $((ENDED_MS - KILLED_MS)) ms)" test "$st" = 143 -a $((ENDED_MS - KILLED_MS)) -lt 1000
check "... the log says it ended before the first operation did" grep -q '^# interrupted before the first operation ended$' "$T/tt.log"
# nothing listens: a port of a sink that has gone
fake ok
unfake
"$C" http --ops 3 -o "$T/refused.log" "http://127.0.0.1:$FPORT/" 2>/dev/null
check "absent server: exit 1" test $? = 1
check "absent server: 3 refused, empty bytes" test "$(grep -c ',,refused,' "$T/refused.log")" = 3
"$C" http --ops 50 --max-failures 5 -o "$T/maxf.log" "http://127.0.0.1:$FPORT/" 2> "$T/maxf.err"
check "--max-failures 5: exit 1" test $? = 1
check "--max-failures 5: stops after 5 operations" test "$(grep -c ',refused,' "$T/maxf.log")" = 5
check "--max-failures 5: the log says so" grep -q '^# interrupted after rep 1 op 5: 5 operations in a row failed' "$T/maxf.log"

# the event loop of --concurrency reads responses as the one client does:
# the same statuses and byte counts, and a stale connection redialled
# (fakehttp serves one connection at a time: only the modes that close
# after each answer)
for mode in midway garbage eof idle-close; do
	fake "$mode"
	"$C" http --ops 6 --timeout 3000 --max-failures 0 -o "$T/s-$mode.log" "http://127.0.0.1:$FPORT/" 2>/dev/null
	one=$(wc -l < "$T/fake.port.log")
	unfake
	fake "$mode"
	"$C" http --concurrency 3 --ops 6 --timeout 3000 --max-failures 0 -o "$T/p-$mode.log" "http://127.0.0.1:$FPORT/" 2>/dev/null
	three=$(wc -l < "$T/fake.port.log")
	unfake
	check "fake $mode: --concurrency 3 logs the statuses and bytes of one client ($(awk -F, '/^[0-9]/ { print $6 }' "$T/s-$mode.log" | sort -u | tr '\n' ' '))" \
		test "$(awk -F, '/^[0-9]/ { print $5 "," $6 }' "$T/s-$mode.log" | sort)" = "$(awk -F, '/^[0-9]/ { print $5 "," $6 }' "$T/p-$mode.log" | sort)" -a \
		"$(grep -c '^[0-9]' "$T/p-$mode.log")" = 6
	[ "$mode" = idle-close ] &&
		check "fake idle-close: --concurrency 3 redials each stale connection: 6 connections as one client" test "$one-$three" = "6-6"
done
fake trickle
signalled 0.5 TERM "$C" http --concurrency 2 --ops 4 --timeout 60000 -o "$T/p-term.log" "http://127.0.0.1:$FPORT/" 2>/dev/null
st=$?
unfake
check "http --concurrency 2: SIGTERM abandons the operations in flight at once (exit $st, $((ENDED_MS - KILLED_MS)) ms)" \
	test "$st" = 143 -a $((ENDED_MS - KILLED_MS)) -lt 1000
check "http --concurrency 2: nothing abandoned is logged" test "$(grep -c '^[0-9]' "$T/p-term.log")" = 0

# ---- 5. exec ----
"$C" exec --reps 2 --ops 3 --warmup 1 --direction external --workload file-1k \
	-o "$T/exec.log" -- sh -c 'exit 0'
check "exec: exit 0" test $? = 0
"$V" ingest -o "$T/exec.csv" "$T/exec.log"
check "exec: 6 samples" test "$(rows "$T/exec.csv")" = 6
check "exec: labels workload=file-1k, direction=external" \
	test "$(cut -d, -f1,2 "$T/exec.csv" | sed 1d | sort -u)" = "file-1k,external"
"$C" exec --ops 2 -o "$T/exec3.log" -- sh -c 'echo noise; exit 3' > "$T/exec3.out" 2>/dev/null
check "exec: a failing command is exit-3 twice" test "$(grep -c ',exit-3,' "$T/exec3.log")" = 2
check "exec: its output is discarded" test ! -s "$T/exec3.out"
"$C" exec --ops 1 --keep-output -o "$T/exec4.log" -- sh -c 'echo kept' 2> "$T/exec4.err"
check "exec: --keep-output passes it to stderr" grep -q '^kept$' "$T/exec4.err"
"$C" exec --ops 1 --timeout 200 -o "$T/exec5.log" -- sleep 5 2>/dev/null
check "exec: --timeout kills a slow command" test "$(grep -c ',timeout,' "$T/exec5.log")" = 1
"$C" exec --ops 3 -o "$T/sleep.log" -- sleep 0.2
d=$(awk -F, '$1 == 1 { print $4 - $3 }' "$T/sleep.log")
check "exec: sleep 0.2 measures 0.2 s to 0.4 s ($(echo $d))" \
	sh -c "for x in $(echo $d); do [ \$x -ge 200000 ] && [ \$x -lt 400000 ] || exit 1; done"

# ---- 6. interrupted ----
signalled 0.45 INT "$C" exec --ops 100 --direction internal --workload w -o "$T/int.log" -- sleep 0.1 2>/dev/null
st=$?
check "SIGINT: exit 130 (got $st)" test $st = 130
n=$(grep -c '^1,' "$T/int.log")
check "SIGINT: the operation in flight finished and was logged ($n, 3 to 6)" test "$n" -ge 3 -a "$n" -le 6
check "SIGINT: trailer names the last operation" \
	grep -q "^# interrupted after rep 1 op $n (SIGINT)" "$T/int.log"
"$V" ingest --inputs "$T/int-in.csv" -o "$T/int.csv" "$T/int.log" 2> "$T/int.err"
check "SIGINT: the log ingests with all $n operations" test "$(rows "$T/int.csv")" = "$n"
check "SIGINT: ingest says it was interrupted" grep -q 'interrupted' "$T/int.err"
check "SIGINT: inputs.csv says interrupted=yes" test "$(col "$T/int-in.csv" interrupted)" = yes
signalled 0.25 TERM "$C" exec --ops 100 -o "$T/term.log" -- sleep 0.1 2>/dev/null
check "SIGTERM: exit 143" test $? = 143
check "SIGTERM: trailer (the operation in flight abandoned, not logged)" \
	grep -q '^# interrupted after rep 1 op [0-9]* (SIGTERM; the operation in flight was abandoned and is not logged)$' "$T/term.log"

# ---- 7. files ----
mkdir -p "$T/share"
"$C" files --write --make 20x1K --reps 2 --warmup 3 --direction internal --workload file-1k \
	-o "$T/files.log" "$T/share"
check "files --write: exit 0" test $? = 0
"$V" ingest -o "$T/files.csv" "$T/files.log"
check "files --write: 2 batches of 20 = 40 samples" test "$(rows "$T/files.csv")" = 40
check "files --write: 1024 bytes each" test "$(col "$T/files.csv" bytes | sort -u)" = 1024
check "files --write: the share is left empty" test -z "$(ls -A "$T/share")"
"$C" files --write --make 4x3M --keep-files -o "$T/files2.log" "$T/share"
check "files --keep-files: 4 files of 3 MiB stay" \
	test "$(find "$T/share" -type f -size 3072k | wc -l)" = 4
"$C" files --read -o "$T/read.log" "$T/share"
check "files --read: the folder's 4 files, each 3145728 bytes read" \
	test "$(awk -F, '$1 == 1 && $6 == "ok" { print $5 }' "$T/read.log" | sort -u)-$(grep -c '^1,' "$T/read.log")" = "3145728-4"
rm -f "$T/share"/*
"$C" files --read --make 5x10K -o "$T/read2.log" "$T/share"
check "files --read --make: 5 reads of 10240 bytes" \
	test "$(grep -c '^1,[0-9]*,[0-9]*,[0-9]*,10240,ok,0$' "$T/read2.log")" = 5
check "files --read --make: the files it made are removed" test -z "$(ls -A "$T/share")"

# ---- 8. tcp ----
"$C" tcp-sink 127.0.0.1:0 2> "$T/sink.err" & echo $! > "$T/sink.pid"
for i in 1 2 3 4 5 6 7 8 9 10; do
	grep -q listening "$T/sink.err" 2>/dev/null && break
	sleep 0.05
done
SPORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$T/sink.err")
"$C" tcp --bytes 2M --ops 3 --direction internal --workload stream -o "$T/tcp.log" "127.0.0.1:$SPORT"
check "tcp: exit 0" test $? = 0
"$V" ingest -o "$T/tcp.csv" "$T/tcp.log"
check "tcp: 3 samples of 2097152 bytes, ok" \
	test "$(paste -d, "$(col "$T/tcp.csv" bytes > "$T/tcp.b"; echo "$T/tcp.b")" "$(col "$T/tcp.csv" status > "$T/tcp.s"; echo "$T/tcp.s")" | sort -u)-$(rows "$T/tcp.csv")" = "2097152,ok-3"
kill "$(cat "$T/sink.pid")"
wait "$(cat "$T/sink.pid")" 2>/dev/null
rm -f "$T/sink.pid"
check "tcp-sink: counted 3 connections, 6291456 bytes" grep -q '3 connections, 6291456 bytes' "$T/sink.err"
"$C" tcp --bytes 1K --ops 2 -o "$T/tcp2.log" "127.0.0.1:$SPORT" 2>/dev/null
check "tcp: sink gone: refused" test "$(grep -c ',refused,' "$T/tcp2.log")" = 2

echo "collect: $pass passed, $fail failed"
[ $fail = 0 ]
