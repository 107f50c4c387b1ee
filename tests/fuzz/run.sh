#!/bin/sh
# make fuzz / make fuzz-corpus (README "Fuzzing").
#   sh tests/fuzz/run.sh BUILD SECONDS TARGET...          fuzz each target
#   sh tests/fuzz/run.sh --merge BUILD 0 TARGET...        minimise the grown
#                                                         corpus into tests/fuzz/
# Prints one line per target: seconds, executions, executions per second,
# corpus units, crashes.  Exit 1 when a target crashed (the input is in
# tests/fuzz/TARGET/crash-*: make check replays it).
set -u
merge=0
[ "$1" = --merge ] && { merge=1; shift; }
B=$1 S=$2
shift 2
status=0
printf '%-9s %8s %14s %10s %8s %8s\n' target seconds executions "exec/s" corpus crashes
for t in "$@"; do
	bin=$B/tests/fuzz-$t
	work=$B/corpus/$t
	mkdir -p "$work" "tests/fuzz/$t/corpus"
	if [ $merge = 1 ]; then
		"$bin" -merge=1 -close_fd_mask=3 "tests/fuzz/$t/corpus" "$work" "tests/fuzz/$t/seeds" > "$B/fuzz-$t.log" 2>&1 ||
			{ echo "fuzz: $t: merge failed (see $B/fuzz-$t.log)"; status=1; }
		echo "fuzz: $t: tests/fuzz/$t/corpus holds $(ls "tests/fuzz/$t/corpus" | wc -l) inputs"
		continue
	fi
	before=$(ls tests/fuzz/$t/ | grep -c '^crash-')
	"$bin" -max_total_time="$S" -close_fd_mask=3 -print_final_stats=1 \
		-rss_limit_mb=4096 -timeout=20 -artifact_prefix="tests/fuzz/$t/" \
		"$work" "tests/fuzz/$t/seeds" "tests/fuzz/$t/corpus" > "$B/fuzz-$t.log" 2>&1
	rc=$?
	after=$(ls tests/fuzz/$t/ | grep -c '^crash-')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz-$t.log" | tail -1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$B/fuzz-$t.log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$B/fuzz-$t.log" | tail -1)
	printf '%-9s %8s %14s %10s %8s %8s\n' "$t" "${secs:-?}" "${execs:-?}" "${rate:-?}" \
		"$(ls "$work" | wc -l)" "$((after - before))"
	if [ $rc != 0 ] || [ "$after" != "$before" ]; then
		echo "fuzz: $t: FOUND A CRASH (exit $rc; see $B/fuzz-$t.log and tests/fuzz/$t/crash-*)"
		status=1
	fi
done
exit $status
