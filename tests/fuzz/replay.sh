#!/bin/sh
# make check's part of the fuzzing: every seed, corpus input and crash
# under tests/fuzz/TARGET/ through the target of BUILD (built with
# tests/fuzz/replay.c; under build-san, with ASan + UBSan, which abort on
# any finding).  One check per target and input folder.
#   sh tests/fuzz/replay.sh BUILD TARGET...
set -u
B=$1
shift
pass=0 fail=0
for t in "$@"; do
	for kind in seeds corpus crash; do
		if [ $kind = crash ]; then
			set -- $(ls -d tests/fuzz/$t/crash-* 2> /dev/null)
		else
			set -- $(ls -d tests/fuzz/$t/$kind/* 2> /dev/null)
		fi
		[ $# = 0 ] && continue
		# in batches: one process per 200 inputs
		status=0 log=$(mktemp)
		while [ $# -gt 0 ]; do
			n=0 batch=""
			while [ $# -gt 0 ] && [ $n -lt 200 ]; do batch="$batch $1"; shift; n=$((n + 1)); done
			"$B/tests/fuzz-$t" $batch > /dev/null 2>> "$log" || status=$?
		done
		if [ $status = 0 ] && ! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL fuzz: $t: the $kind inputs crash (exit $status):"
			grep -m 5 'runtime error\|ERROR: \|SUMMARY' "$log"
		fi
		rm -f "$log"
	done
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
