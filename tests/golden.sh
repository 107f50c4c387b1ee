#!/bin/sh
# Golden-file runner: each tests/golden/NAME.cmd is one shell command run
# from the repository root with $VMNETRANK (the binary under test) and $TMP
# (an empty scratch folder).  Its stdout, stderr and exit status must equal
# tests/expected/NAME.out, NAME.err and NAME.rc.
#   sh tests/golden.sh BINARY [--bless]   (--bless rewrites the expected
#   files; review every change by hand before committing it)
VMNETRANK=$1
bless=$2
export VMNETRANK
pass=0 fail=0
for cmd in tests/golden/*.cmd; do
	name=$(basename "$cmd" .cmd)
	TMP=$(mktemp -d)
	export TMP
	sh -c "$(cat "$cmd")" >"$TMP/.out" 2>"$TMP/.err"
	echo $? >"$TMP/.rc"
	# sanitizer builds print nothing extra on success; strip the scratch path
	sed -i "s|$TMP|\$TMP|g" "$TMP/.out" "$TMP/.err"
	if [ "$bless" = --bless ]; then
		cp "$TMP/.out" "tests/expected/$name.out"
		cp "$TMP/.err" "tests/expected/$name.err"
		cp "$TMP/.rc" "tests/expected/$name.rc"
	fi
	ok=1
	for k in out err rc; do
		if ! cmp -s "$TMP/.$k" "tests/expected/$name.$k"; then
			ok=0
			echo "FAIL golden $name ($k differs):"
			diff "tests/expected/$name.$k" "$TMP/.$k" | head -20
		fi
	done
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	rm -rf "$TMP"
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
