#!/bin/sh
# vmnetrank measure on fake plans: the schedule (RMIT, blocked), --dry-run,
# the trials' logs and their metadata, setups and teardowns around each
# configuration's block, a failing setup, resuming after SIGINT without
# repeating a trial, --fresh, plan errors, and the logs through run.
#   sh tests/measure.sh VMNETRANK COLLECT
set -u
V=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT INT TERM
pass=0 fail=0
check() { name=$1; shift; if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL measure: $name"; fi; }
plan() { # plan FILE ORDER ROUNDS SLEEP
	cat > "$1" <<PLAN
; fake configurations: every trial sleeps; broken's setup fails
[plan]
rounds = $3
order = $2
seed = 7
output = logs
collector = $C
estimate = 0.2

[factor speed]
levels = fast slow broken
setup = echo \${speed} \${round} >> setups.txt; echo up > state-\${speed}
setup.broken = false
teardown = rm state-\${speed}

[factor size]
levels = 1 2

[direction internal]
prefix =

[workload nap]
collect = exec --ops 2 --reps 1
  --meta pad1=$PAD
  --meta pad2=$PAD
  --meta pad3=$PAD
  --meta pad4=$PAD
  -- sleep $4
PLAN
}
# a value continued over indented lines, and so a header line (command=)
# longer than any fixed buffer, as the real testbed's run past 512 bytes:
# the estimate must still read it
PAD=$(printf '%0150d' 0)
mkdir -p "$T/a"
plan "$T/a/plan.ini" rmit 3 0.01
cd "$T/a" || exit 1
"$V" measure --dry-run plan.ini > dry.out 2> dry.err
check "--dry-run exits 0" test $? = 0
check "--dry-run runs nothing" test ! -e logs -a ! -e setups.txt
check "--dry-run: 6 configurations x 3 rounds = 18 trials" test "$(grep -c '^ *[0-9]*  round' dry.out)" = 18
# RMIT: every configuration once a round, the orders of the rounds not all the same
rounds=$(awk '/  round / { r = $3; c = $4 " " $5; if ($4 == "[setup]") c = $5 " " $6; o[r] = o[r] "|" c; n[r]++ }
	END { for (r = 1; r <= 3; r++) print n[r] "#" o[r] }' dry.out)
check "RMIT: six trials a round" test "$(echo "$rounds" | cut -d'#' -f1 | sort -u)" = 6
check "RMIT: each round holds every configuration once" \
	test "$(echo "$rounds" | while IFS='#' read -r n o; do echo "$o" | tr '|' '\n' | sed '/^$/d' | sort -u | wc -l; done | sort -u)" = 6
check "RMIT: the rounds' orders differ" test "$(echo "$rounds" | sort -u | wc -l)" -gt 1
check "--dry-run estimates the duration from the plan" grep -q '^estimate: 18 trials to run, about 4 s at 0.2 s a trial' dry.out
"$V" measure -q plan.ini > run.out 2> run.err
check "the run exits 1: broken's setup failed" test $? = 1
check "18 logs, one a trial" test "$(find logs -name 'round-*.log' | wc -l)" = 18
check "no temporary left" test -z "$(find logs -name '*.tmp')"
check "broken's 6 trials are logged as setup-failed" test "$(grep -l ',setup-failed$' $(find logs -path '*speed=broken*' -name '*.log') | wc -l)" = 6
check "a setup once per configuration per round (12 for fast and slow)" test "$(wc -l < setups.txt)" = 12
check "... each configuration's, in each of its rounds" test "$(sort setups.txt | uniq -c | awk '{ print $1 }' | sort -u)" = 2
check "every teardown ran (no state left)" test -z "$(ls state-* 2> /dev/null)"
sha=$(sha256sum plan.ini | cut -d' ' -f1)
f=$(find logs -path '*speed=fast/size=2*' -name 'round-2.log')
check "a log's header: the plan's SHA-256, its round, position, order, seed" \
	test "$(grep -c "^# meta.plan_sha256=$sha\$\|^# meta.round=2\$\|^# meta.order=rmit\$\|^# meta.plan_seed=7\$\|^# meta.position=[0-9]*\$" "$f")" = 5
pos=$(sed -n 's/^# meta.position=//p' "$f")
check "... its position is its place in the schedule" \
	grep -q "^ *$pos  round 2 .*speed=fast size=2 " dry.out
check "... and the host's CPU and load" test "$(grep -c '^# meta.cpu=\|^# meta.loadavg=' "$f")" = 2
# the load is each trial's own, read after its setup: the setup writes
# the round as the "load" into the stand-in for /proc/loadavg
mkdir -p "$T/la"
cat > "$T/la/plan.ini" <<PLAN
[plan]
rounds = 3
seed = 3
output = logs
collector = $C
[factor speed]
levels = a b
setup = echo \${round}.25 0.5 0.5 1/99 123 > "$T/la/loadavg"
[direction internal]
prefix =
[workload nap]
collect = exec --ops 1 -- true
PLAN
( cd "$T/la" && VMNETRANK_LOADAVG_FILE="$T/la/loadavg" "$V" measure -q plan.ini > /dev/null 2>&1 )
check "meta.loadavg is each trial's, read after its setup (6 logs, each its round's)" \
	test "$(for l in $(find "$T/la/logs" -name 'round-*.log'); do
		r=$(sed -n 's/^# meta.round=//p' "$l"); sed -n "s/^# meta.loadavg=$r\.25\$/ok/p" "$l"; done | grep -c ok)" = 6
find logs -type f ! -path '*speed=broken*' | sort | xargs md5sum > before.md5
"$V" measure --dry-run plan.ini > dry3.out
check "--dry-run: the 6 trials whose setup failed run again" \
	sh -c "test \$(grep -c 'speed=broken.*(its setup failed: runs again)' dry3.out) = 6 && grep -q '^estimate: 6 trials to run' dry3.out"
"$V" measure plan.ini > again.out 2>&1
check "running the plan again runs only the trials whose setup failed" \
	grep -q '^measure: 6 trials run (6 of them again, after a failed setup), 12 done before' again.out
check "... and changes no other log" sh -c 'find logs -type f ! -path "*speed=broken*" | sort | xargs md5sum | cmp -s - before.md5'
"$V" run -o report --bootstrap 0 logs > report.out 2> report.err
check "the logs go through run" test $? = 0 -a -s report/report.xhtml
check "run shows broken as failed, never timed" grep -q 'broken.*every operation failed' report.err
"$V" measure -q --fresh plan.ini > /dev/null 2>&1
check "--fresh runs every trial again" test "$(wc -l < setups.txt)" = 24
cd "$T" || exit 1

# blocked: all of a configuration's rounds together, setup once
mkdir -p "$T/b"
plan "$T/b/plan.ini" blocked 3 0.01
(cd "$T/b" && "$V" measure --dry-run plan.ini > dry.out)
(cd "$T/b" && "$V" measure -q plan.ini > /dev/null 2>&1; "$V" run -q -o report --bootstrap 0 logs > /dev/null 2>&1)
check "blocked: the report warns that drift is confounded with configuration" \
	grep -q 'in blocked order, all of a configuration.s repetitions together: a slow change of the machine is confounded' "$T/b/report/report.xhtml"
check "blocked: a configuration's trials together, one setup each" \
	test "$(grep -c '\[setup\]' "$T/b/dry.out")" = 6 -a "$(sed 's/\[setup\] //' "$T/b/dry.out" | awk '/  round / { print $4 $5 }' | uniq | wc -l)" = 6

# SIGINT: the trial in flight abandoned, the rest resumed, none repeated
mkdir -p "$T/c"
plan "$T/c/plan.ini" rmit 2 0.2
cd "$T/c" || exit 1
"$V" measure -q plan.ini > int.out 2> int.err & pid=$!
sleep 1.5
kill -INT $pid
wait $pid
check "SIGINT: exit 130" test $? = 130
check "SIGINT: it says how to resume" grep -q 'interrupted: .* Run the same command again to resume' int.err
n1=$(find logs -name 'round-*.log' | wc -l)
check "SIGINT: some trials done, not all ($n1 of 12)" test "$n1" -gt 0 -a "$n1" -lt 12
check "SIGINT: no temporary left" test -z "$(find logs -name '*.tmp')"
find logs -name 'round-*.log' ! -path '*speed=broken*' | sort | xargs md5sum > int.md5
# the setup-failed ones (broken's) are not done: they run again
nb=$(grep -l ',setup-failed$' $(find logs -name 'round-*.log') | wc -l)
# the estimate now comes from the trials done (each sleeps 2 x 0.2 s: at
# least 0.4 s, against the plan's 0.2), the setup-failed ones not counted
"$V" measure --dry-run plan.ini > dry2.out
timed=$(grep -L ',setup-failed$' $(find logs -name 'round-*.log') | wc -l)
check "--dry-run after some trials: the estimate from the $timed trials done" \
	grep -q "^estimate: $((12 - n1 + nb)) trials to run, about [0-9]* s from the $timed trials done" dry2.out
secs=$(sed -n 's/^estimate: .*about \([0-9]*\) s from.*/\1/p' dry2.out)
check "... at least 0.4 s a trial to run ($secs s for $((12 - n1 + nb)))" \
	awk -v s="$secs" -v n="$((12 - n1 + nb))" 'BEGIN { exit !(s + 0.5 >= 0.4 * n && s <= 3 * n) }'
"$V" measure plan.ini > res.out 2> res.err
check "resumed: every trial done" test "$(find logs -name 'round-*.log' | wc -l)" = 12
check "resumed: the ones done before were not run again ($nb setup-failed ones were)" \
	grep -q "^measure: $((12 - n1 + nb)) trials run ($nb of them again, after a failed setup), $((n1 - nb)) done before" res.out
check "resumed: and are unchanged" md5sum -c --quiet int.md5
cd "$T" || exit 1

# drift: one configuration's server slows round by round (its delay is
# 50 ms times the round: well past the 20 ms stalls a process spawn can
# meet on a loaded VM, which made 10 ms steps flaky), two others are
# equal; interleaved, the drift is
# flagged (Kendall's tau 1 over 8 rounds: exact p = 2/8! = 5e-05) and the
# two equal ones stay tied (their difference is far under the 1% margin)
mkdir -p "$T/d"
cd "$T/d" || exit 1
cat > plan.ini <<PLAN
[plan]
rounds = 8
seed = 3
collector = $C
[factor server]
levels = a b drifting
setup = echo 0.05 > delay-\${server}
setup.drifting = awk 'BEGIN { print \${round} / 20 }' > delay-\${server}
[direction internal]
[workload nap]
collect = exec --ops 2 --reps 1 -- sh -c 'sleep \$(cat $T/d/delay-\${server})'
PLAN
"$V" measure -q plan.ini > /dev/null 2>&1
"$V" run -o report --bootstrap 0 --keep-samples logs > run.out 2> run.err
drift_of() { awk -F, -v s="$1" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	$h["server"] == s && $h["metric"] == "wall" { print $h["drift_tau"] "|" $h["drift"] }' report/summary.csv; }
check "drift: the drifting server is flagged, tau 1" test "$(drift_of drifting)" = "1|yes"
check "drift: its p is the exact 2/8!" \
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["server"] == "drifting" && $h["metric"] == "wall" { d = $h["drift_p"] - 2 / 40320; exit !(d < 1e-12 && d > -1e-12) }' report/summary.csv
check "drift: every group's tau and p as an independent Python recomputation gives them" \
	sh -c "python3 '$HERE/drift_check.py' report/samples.csv report/reps.csv report/summary.csv | grep -q '^21 rows checked, 0 mismatches'"
# (a or b may be named too: at p < 0.05 about one group in 20 is flagged
# by chance, as the report says; drifting need not come first)
check "drift: the report names it, with its tau and p" \
	grep -q 'Drift over time (Kendall.s tau .*: .*drifting (tau 1, p 5e-05)' report/report.xhtml
check "the report says how the data were taken: RMIT" \
	grep -q 'How the data were taken: by vmnetrank measure in randomized interleaved order (RMIT)' report/report.xhtml
check "drift: the two equal servers stay tied" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["name"] == "a" || $h["name"] == "b" { print $h["shared"] }' report/ranks.csv | sort -u | wc -l)" = 1
cd "$T" || exit 1

# the design read from time stamps when the logs do not say it: the same
# logs with their meta.order lines left out (copies; raw logs are never
# touched): RMIT's become "interleaved", blocked's "blocked"; the runs of
# one configuration in time order counted independently (awk over the
# logs' first start)
strip() { # FROM TO
	(cd "$1" && find . -name 'round-*.log') | while read -r f; do
		mkdir -p "$2/$(dirname "$f")"
		grep -v '^# meta.order=' "$1/$f" > "$2/$f"
	done
}
runs_of() { # LOGS: runs of one configuration over the logs in time order
	for f in $(find "$1" -name 'round-*.log'); do
		awk -F, -v c="$(dirname "$(dirname "$(dirname "$f")")")" '/^[0-9]/ { print $3, c; exit }' "$f"
	done | sort -n | awk '$2 != last { r++ } { last = $2 } END { print r }'
}
strip "$T/d/logs" "$T/d-bare"
"$V" run -q -o "$T/d-bare-report" --bootstrap 0 "$T/d-bare" > /dev/null 2>&1
r=$(runs_of "$T/d-bare")
check "no meta.order, RMIT logs: interleaved, from the stamps ($r runs over 24 repetitions)" \
	grep -q "read from the repetitions.* time stamps (the logs do not say): interleaved: in each of the 1 cells .*($r runs of one configuration over 24 repetitions)" "$T/d-bare-report/report.xhtml"
strip "$T/b/logs" "$T/b-bare"
"$V" run -q -o "$T/b-bare-report" --bootstrap 0 "$T/b-bare" > /dev/null 2>&1
check "no meta.order, blocked logs: blocked, from the stamps (runs: $(runs_of "$T/b-bare"), as many as configurations)" \
	sh -c "test $(runs_of "$T/b-bare") = 6 && grep -q 'read from the repetitions.* time stamps (the logs do not say): in blocked order: in each of the 1 cells' '$T/b-bare-report/report.xhtml'"

# paired by round: two trials a round of three servers (a and b 1 ms
# apart, c 10 ms slower); pairs.csv's paired_* columns recomputed by an
# independent Python (every sign pattern enumerated; the t quantile by
# integration), and by hand: c is slower in every one of the 6 rounds,
# so the exact signed-rank p is 2 / 2^6 = 0.03125
mkdir -p "$T/p"
cd "$T/p" || exit 1
cat > plan.ini <<PLAN
[plan]
rounds = 6
seed = 5
collector = $C
[factor server]
levels = a b c
[direction internal]
[workload nap]
collect = exec --ops 2 --reps 2 -- sh -c 'case \${server} in a) sleep 0.020;; b) sleep 0.021;; c) sleep 0.030;; esac'
PLAN
"$V" measure -q plan.ini > /dev/null 2>&1
"$V" run -q -o report --bootstrap 0 logs > /dev/null 2>&1
check "paired: pairs.csv's paired columns as an independent recomputation gives them" \
	sh -c "python3 '$HERE/paired_check.py' report | grep -q '^3 rows checked, 0 mismatches'"
pc=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["a"] == "a" && $h["b"] == "c" { print $h["paired_n"], $h["paired_p"], ($h["paired_ratio"] < 1) }' report/pairs.csv)
check "paired: a vs c over 6 rounds, p 2/2^6 = 0.03125, a faster ($pc)" test "$pc" = "6 0.03125 1"
check "paired: the report gives the best against the next, by round" \
	grep -q 'Paired by round (the rounds as blocks): [ab] / [ab] = [0-9.]* \[[0-9.]*, [0-9.]*\] over 6 rounds, signed-rank p = ' report/report.xhtml
want=$(python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["view"] == "internal" and r["a"] == "a" and r["b"] == "c":
        print("a / c = %.3f [%.3f, %.3f]" % tuple(float(r[k]) for k in ("ratio", "ratio_ci_lo", "ratio_ci_hi")), end="")
        print("|%.3f [%.3f, %.3f]; p %.2g (%s rounds)" % (float(r["paired_ratio"]), float(r["paired_ci_lo"]), float(r["paired_ci_hi"]), float(r["paired_p"]), r["paired_n"]))' report/pairs.csv)
check "what each factor changes: server a / c as pairs.csv gives it, unpaired and paired ($want)" \
	grep -qF "<td>${want%%|*}</td><td>a faster</td><td>${want#*|}</td>" report/report.xhtml
check "paired: at 3 rounds the report says the signed-rank test cannot reach 0.05" \
	grep -q 'over 3 rounds, signed-rank p = [0-9.]* (at 3 rounds the signed-rank test cannot reach p &lt; 0.05: 6 rounds at least)' "$T/a/report/report.xhtml"
"$V" run -q -o "$T/p-real" --bootstrap 0 "$HERE/../fixtures/real/netns/logs" > /dev/null 2>&1
check "paired: logs without rounds leave the paired columns empty" \
	test "$(python3 -c 'import csv, sys; print(sorted({r["paired_n"] + r["paired_p"] for r in csv.DictReader(open(sys.argv[1])) if r["view"] != "scores"}))' "$T/p-real/pairs.csv")" = "['']"
cd "$T" || exit 1

# [plan] warmup: every trial's warm-up operations, unless the workload
# gives its own; and the progress line on a terminal (script(1) makes one)
mkdir -p "$T/w"
cat > "$T/w/plan.ini" <<PLAN
[plan]
rounds = 2
warmup = 2
estimate = 0.1
collector = $C
[factor k]
levels = x y
[direction internal]
[workload plain]
collect = exec --ops 1 -- true
[workload own]
collect = exec --ops 1 --warmup 0 -- true
PLAN
script -qec "'$V' measure '$T/w/plan.ini'" /dev/null > "$T/w/tty.out" 2>&1
check "warmup: the plan's 2 warm-up operations in a trial" \
	test "$(grep -c ',1$' "$T/w/logs/k=x/direction=internal/workload=plain/round-1.log")" = 2
check "warmup: a workload's own --warmup 0 wins" \
	test "$(grep -c ',1$' "$T/w/logs/k=x/direction=internal/workload=own/round-1.log")" = 0
check "on a terminal: trial i/N, the configuration and the time left" \
	grep -q 'measure: trial 8/8, round 2, k=[xy], [a-z]* internal, about [0-9]* s left' "$T/w/tty.out"

# a line past the INI parser's 198 characters is refused with its line
# and the way out (continuation lines), never cut in two
printf '[plan]\n[direction internal]\n[workload w]\ncollect = exec -- echo %s\n' "$(printf '%0300d' 0)" > "$T/long.ini"
"$V" measure --dry-run "$T/long.ini" > /dev/null 2> "$T/long.err"
check "a 320-character line: refused at long.ini:4, saying how to continue it" \
	sh -c "test $? = 1 && grep -q 'long.ini:4:199: error: a line longer than 198 characters .*continue the value on the next lines, each indented' '$T/long.err'"
check "a continued value reaches the collector whole (4 x 150-character --meta)" \
	test "$(grep -c "^# meta.pad[1-4]=$PAD\$" "$(find "$T/a/logs" -path '*speed=fast*' -name 'round-1.log' | head -1)")" = 4

# exclude: a matrix that is not a full product (memory sizes that differ
# by technology): 3 x 2 x 4 = 24 combinations, 10 measured
cat > "$T/ex.ini" <<'PLAN'
[plan]
rounds = 2
exclude = vm=UML mem_mb=1024,host
exclude = vm=QEMU mem_mb=256,host
exclude = vm=netns mem_mb=256,512,1024
[factor vm]
levels = UML QEMU netns
[factor netmode]
levels = NAT TAP
[factor mem_mb]
levels = 256 512 1024 host
[direction internal]
[workload w]
collect = exec -- true
PLAN
"$V" measure --dry-run "$T/ex.ini" > "$T/ex.out"
check "exclude: 10 of the 24 combinations, 20 trials" grep -q '^plan .*: 10 configurations x 1 workloads x 1 directions x 2 rounds = 20 trials' "$T/ex.out"
check "exclude: exactly the ones left in, each once a round" \
	test "$(sed 's/\[setup\] //; s/ \[teardown\]//' "$T/ex.out" | awk '/  round 1 / { print $4 "/" $6 }' | sort | tr '\n' ' ')" = "vm=QEMU/mem_mb=1024 vm=QEMU/mem_mb=1024 vm=QEMU/mem_mb=512 vm=QEMU/mem_mb=512 vm=UML/mem_mb=256 vm=UML/mem_mb=256 vm=UML/mem_mb=512 vm=UML/mem_mb=512 vm=netns/mem_mb=host vm=netns/mem_mb=host "
"$V" measure --dry-run --set vm.levels=netns "$T/ex.ini" > "$T/ex2.out"
check "exclude: with --set vm.levels=netns, 2 configurations" grep -q ': 2 configurations x' "$T/ex2.out"
sed 's/mem_mb=256,host/mem_mb=265,host/' "$T/ex.ini" > "$T/ex3.ini"
"$V" measure --dry-run "$T/ex3.ini" > /dev/null 2> "$T/ex3.err"
check "exclude: a level the factor lacks is refused at its line" \
	sh -c "test $? = 1 && grep -q 'ex3.ini:4: error: exclude: mem_mb has no level .265.' '$T/ex3.err'"

# rounds of a workload's own (a cell that needs fewer repetitions): big
# only in rounds 1-3, and from outside in 1-2; every other trial in all 4
cat > "$T/wr.ini" <<PLAN
[plan]
rounds = 4
seed = 3
collector = $C
[factor k]
levels = x y
setup = echo \${k} \${round} >> $T/wr-setups.txt
[direction internal]
[direction external]
[workload a]
collect = exec --ops 1 -- true
[workload big]
collect = exec --ops 1 -- true
rounds = 3
rounds.external = 2
PLAN
for order in rmit blocked; do
	sed "s/^seed = 3/seed = 3\norder = $order/" "$T/wr.ini" > "$T/wr-$order.ini"
	"$V" measure --dry-run "$T/wr-$order.ini" > "$T/wr-$order.out"
	check "workload rounds ($order): 16 + 6 + 4 = 26 trials, said" \
		grep -q '= 26 trials (some workloads run in fewer rounds)' "$T/wr-$order.out"
	check "workload rounds ($order): big internal in rounds 1-3, external in 1-2, a in 1-4" \
		test "$(sed 's/\[setup\] //; s/ \[teardown\]//' "$T/wr-$order.out" | awk '/  round / { m[$5 " " $6] = m[$5 " " $6] > $3 ? m[$5 " " $6] : $3; n[$5 " " $6]++ } END { for (c in m) print c, m[c], n[c] }' | sort | tr '\n' ' ')" = "a external 4 8 a internal 4 8 big external 2 4 big internal 3 6 "
	check "workload rounds ($order): each configuration set up once per block" \
		test "$(grep -c '\[setup\]' "$T/wr-$order.out")" = "$([ $order = rmit ] && echo 8 || echo 2)"
done
(cd "$T" && "$V" measure -q wr-rmit.ini > /dev/null 2>&1 && "$V" run -q -o wr-report --bootstrap 0 logs > /dev/null 2>&1)
check "workload rounds: summary.csv has 4, 3 and 2 repetitions where the plan says" \
	test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $h["metric"] == "wall" { print $h["workload"], $h["direction"], $h["n_reps"] }' "$T/wr-report/summary.csv" | sort -u | tr '\n' ' ')" = "a external 4 a internal 4 big external 2 big internal 3 "
printf '[plan]\n[direction internal]\n[workload w]\ncollect = exec -- true\nrounds = 0\n' > "$T/wr-bad.ini"
"$V" measure --dry-run "$T/wr-bad.ini" > /dev/null 2> "$T/wr-bad.err"
check "workload rounds = 0: refused at its line" grep -q "wr-bad.ini:5: error: rounds '0': expected a whole number of rounds, 1 to 100000" "$T/wr-bad.err"

# plan errors name FILE:LINE
printf '[plan]\nrounds = 0\n[factor a]\nlevels = x\nsetup.y = red\n[direction sideways]\nprefix = x\n' > "$T/bad.ini"
"$V" measure --dry-run "$T/bad.ini" > /dev/null 2> "$T/bad.err"
check "a bad plan: exit 1" test $? = 1
check "... rounds 0 at bad.ini:2" grep -q "bad.ini:2: error: rounds '0'" "$T/bad.err"
check "... a level's key for no level at bad.ini:5" grep -q "bad.ini:5: error: setup.y: no level 'y'" "$T/bad.err"
check "... an unknown direction at its header, bad.ini:6" grep -q 'bad.ini:6: error: \[direction sideways\]: expected' "$T/bad.err"

# variables: a factor's (with a level's own value) and the plan's [vars],
# --set, and the mistakes they invite, each refused before anything runs
vplan() { # FILE EXTRA-FACTOR-LINE EXTRA-WORKLOAD-WORD
	printf '[plan]\nrounds = 2\noutput = logs\ncollector = %s\n[vars]\nnaps = 2\n[factor mode]\nlevels = NAT TAP\nwhere = 10.0.0.1:8080\nwhere.TAP = 10.0.0.10:80\n%s\n[direction internal]\n[workload nap]\ncollect = exec --ops ${naps} --meta where=${where} -- true %s\n' "$C" "$2" "$3" > "$1"
}
mkdir -p "$T/v"
vplan "$T/v/plan.ini" "" ""
"$V" measure -q --set naps=3 "$T/v/plan.ini" > /dev/null 2> "$T/v.err"
check "variables: the plan runs (exit 0)" test $? = 0
check "variables: a level's own value (TAP: 10.0.0.10:80), the default elsewhere" \
	test "$(grep -h '^# meta.where=' "$T"/v/logs/mode=NAT/direction=internal/workload=nap/round-1.log "$T"/v/logs/mode=TAP/direction=internal/workload=nap/round-1.log | tr '\n' ' ')" = "# meta.where=10.0.0.1:8080 # meta.where=10.0.0.10:80 "
check "variables: --set naps=3 overrides [vars] (3 operations a trial)" \
	test "$(grep -c '^1,' "$T/v/logs/mode=TAP/direction=internal/workload=nap/round-2.log")" = 3
sha_file=$(sha256sum < "$T/v/plan.ini" | cut -c1-64)
sha_set=$({ cat "$T/v/plan.ini"; printf '\n#set naps=3'; } | sha256sum | cut -c1-64)
check "variables: the logs' plan hash is the file's with the --set folded in (sha256sum)" \
	grep -q "^# meta.plan_sha256=$sha_set\$" "$T/v/logs/mode=TAP/direction=internal/workload=nap/round-2.log"
check "... and differs from the file's own" test "$sha_set" != "$sha_file"
"$V" measure -q "$T/v/plan.ini" > /dev/null 2> "$T/v2.err"
check "variables: resuming without the --set is refused: the logs are another plan's" \
	sh -c "test $? = 1 && grep -q '4 of the logs there are another plan.s' '$T/v2.err'"
"$V" measure -q --fresh --set mode.levels=TAP "$T/v/plan.ini" > /dev/null 2> "$T/v3.err"
"$V" measure --dry-run --set mode.levels=TAP "$T/v/plan.ini" > "$T/v-dry.out"
check "--dry-run when every trial is done says so" grep -q '^estimate: nothing to run: every trial is done' "$T/v-dry.out"
check "variables: --fresh with --set mode.levels=TAP: only TAP's trials" \
	test "$(find "$T/v/logs" -name 'round-*.log' | sed 's,.*/mode=,,; s,/.*,,' | sort -u)" = TAP
vbad() { # NAME EXPECTED-MESSAGE PLAN-ARGS... (to vplan), then measure
	vn=$1 vw=$2; shift 2
	vplan "$T/vb.ini" "$1" "$2"; shift 2
	"$V" measure --dry-run "$@" "$T/vb.ini" > "$T/vb.out" 2> "$T/vb.err"
	st=$?
	check "variables: $vn is refused (exit $st)" test $st != 0
	check "variables: $vn: the message" grep -q "$vw" "$T/vb.err"
	check "variables: $vn: no schedule printed" test ! -s "$T/vb.out"
}
vbad "a misspelt key (no command uses it)" "vb.ini:11: error: unknown key 'setpu' in \[factor mode\]" "setpu = echo" ""
vbad "a name no section gives" "no factor or name 'nowhere'" "" '${nowhere}'
vbad "a variable missing at a level" "variable port has no value at level NAT" "port.TAP = 80" '${port}'
vbad "--set of a name the plan lacks" "the plan has no \[vars\] variable 'nap'" "" "" --set nap=1
vbad "--set without =" "expected NAME=VALUE" "" "" --set naps
vbad "a variable named like a factor" "'mode' names two things" "mode = 1" '${mode}'
echo "measure: $pass passed, $fail failed"
[ "$fail" = 0 ]
