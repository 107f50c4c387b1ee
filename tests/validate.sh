#!/bin/sh
# make validate: are the verdicts valid at the repetitions users have?
# End-to-end simulations through the real stages (tests/simulate writes a
# samples.csv; vmnetrank stats and rank --bootstrap 0 judge it), for the
# cell rule (pairs.csv views internal/external) and the weighted scores
# (view scores), at n = 3, 5, 10, 30 repetitions:
#   - null: the three configurations identical: every "beats" is false;
#   - 5% and 20%: B slower by that in every cell, A and C identical;
#   - null again with skewed times: lognormal, CV 20% (0:lognormal:0.2);
#   - detectable: B slower by the difference ranks.csv calls detectable at
#     n (80% power claimed; README, "How many repetitions a verdict
#     needs"): the cell rule's power must be at least 80%.
# Printed per rule, n and effect: the share of pairs of identical
# configurations said to differ (target: alpha = 5% at most), the share of
# truly different pairs found in the right direction (power), and how
# often the ratio's interval holds the true ratio (target: >= 93%), each
# with its Monte Carlo standard error counted over datasets (pairs of one
# dataset are not independent, so this is the larger, honest one).
#   sh tests/validate.sh VMNETRANK SIMULATE [DATASETS] [NS] [EFFECTS] [--check]
# --check: exit 1 when a false rate exceeds 5% + 3 MC errors or a
# coverage falls below 93% - 3 MC errors (the reduced run of make check).
set -u
V=$1
SIM=$2
M=${3:-1000}
NS=${4:-"3 5 10 30"}
EFFECTS=${5:-"0 0.05 0.20 0:lognormal:0.2 detectable"}
CHECK=${6:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

printf '%-6s %4s %14s %9s %24s %9s %24s\n' rule n scenario datasets \
	"false beats (MC err)" power "coverage (MC err)"
bad=0
for n in $NS; do
	for e in $EFFECTS; do
		: > "$T/n$n-e$e.pairs"
		sc=$e
		if [ "$e" = detectable ]; then
			# what rank calls detectable at n and the true CV (5%),
			# read from a dataset whose sample CVs are exactly 5%
			mkdir -p "$T/cal"
			"$SIM" --seed 1 --reps "$n" --effect 0 --exact -o "$T/cal/samples.csv" > /dev/null &&
				"$V" stats --threads 1 -o "$T/cal" "$T/cal/samples.csv" 2> /dev/null &&
				"$V" rank --bootstrap 0 "$T/cal" > /dev/null 2>&1 || bad=1
			d=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
				$1 == "internal" && $2 == "w1" { print $h["detectable"]; exit }' "$T/cal/ranks.csv")
			sc=$(awk -v d="$d" 'BEGIN { printf "%.12g", 1 / (1 - d) - 1 }')
		fi
		# two datasets at a time, on the two cores
		seq 1 "$M" | awk -v n="$n" '{ print $1 * 7919 + n * 101 }' |
			xargs -P 2 -n 1 sh "$(dirname "$0")/validate_one.sh" "$V" "$SIM" "$T" "$n" "$sc" \
			> "$T/n$n-e$e.pairs"
		for rule in cell score; do
			awk -v rule="$rule" -v n="$n" -v e="${sc%%:*}" -v sc="$e" -v m="$M" -v check="$CHECK" '
				$1 != rule { next }
				{ ds[$2] = 1 }
				$3 == 1 { nul++; if ($4 != "tied") fb++ }
				$3 != 1 { alt++; if (($3 < 1 && $4 == "beats") || ($3 > 1 && $4 == "beaten")) pw++ }
				{ tot++; if ($5 <= $3 * (1 + 1e-12) && $3 <= $6 * (1 + 1e-12)) cov++ }
				END {
					d = 0; for (k in ds) d++
					what = sc == "detectable" ? sprintf("det. %.1f%%", 100 * (1 - 1 / (1 + e))) : sprintf("%.0f%%", e * 100)
					if (sc ~ /lognormal/) { split(sc, q, ":"); what = sprintf("0%% logn cv %.0f%%", q[3] * 100) }
					if (d == 0) { printf "%-6s %4d %14s %9d   no datasets\n", rule, n, what, 0; exit 1 }
					f = nul ? fb / nul : 0; c = tot ? cov / tot : 0
					fe = sqrt(f * (1 - f) / d); ce = sqrt(c * (1 - c) / d)
					if (fe < 0.5 / d) fe = 0.5 / d
					if (ce < 0.5 / d) ce = 0.5 / d
					printf "%-6s %4d %14s %9d %15.1f%% (%4.1f) %8s %15.1f%% (%4.1f)\n",
						rule, n, what, d, 100 * f, 100 * fe,
						alt ? sprintf("%.1f%%", 100 * pw / alt) : "-", 100 * c, 100 * ce
					pwr = alt ? pw / alt : 1; pe = sqrt(pwr * (1 - pwr) / d); if (pe < 0.5 / d) pe = 0.5 / d
					if (check == "--check" && (f > 0.05 + 3 * fe || c < 0.93 - 3 * ce)) exit 1
					if (check == "--check" && sc == "detectable" && rule == "cell" && pwr < 0.80 - 3 * pe) exit 1
				}' "$T/n$n-e$e.pairs" || bad=1
		done
	done
done
if [ "$CHECK" = --check ]; then
	if [ $bad = 0 ]; then echo "validate: 1 passed, 0 failed"; else echo "validate: 0 passed, 1 failed"; fi
fi
[ $bad = 0 ]
