#!/bin/sh
# One dataset of make validate (tests/validate.sh): simulate it, run stats
# and rank on it, and print its pairs as "rule seed true_ratio verdict lo
# hi" (rule cell or score; lo, hi the ratio's interval, unbounded as
# -1e300 or 1e300).
#   sh tests/validate_one.sh VMNETRANK SIMULATE TMPDIR N SCENARIO SEED
# SCENARIO: the effect (0, 0.05, ...), or EFFECT:lognormal:CV.
V=$1 SIM=$2 T=$3 n=$4 sc=$5 seed=$6
e=${sc%%:*}
extra=""
case $sc in *:lognormal:*) extra="--lognormal --cv ${sc##*:}" ;; esac
d=$T/n$n-$seed-$$
mkdir -p "$d" &&
	# shellcheck disable=SC2086
	"$SIM" --seed "$seed" --reps "$n" --effect "$e" $extra -o "$d/samples.csv" > /dev/null &&
	"$V" stats --threads 1 -o "$d" "$d/samples.csv" 2> /dev/null &&
	"$V" rank --bootstrap 0 "$d" > /dev/null 2>&1 &&
	awk -F, -v e="$e" -v seed="$seed" '
		NR == 1 { next }
		$1 == "internal" || $1 == "external" || $1 == "scores" {
			rule = $1 == "scores" ? "score" : "cell"
			# the true ratio a/b: B is (1 + e) times A, and A = C
			t = 1
			if ($4 == "B" && $5 != "B") t = 1 + e
			if ($5 == "B" && $4 != "B") t = 1 / (1 + e)
			lo = $11 == "" ? -1e300 : $11
			hi = $12 == "" ? 1e300 : $12
			printf "%s %s %.12g %s %s %s\n", rule, seed, t, $19, lo, hi
		}' "$d/pairs.csv"
rc=$?
rm -rf "$d"
exit $rc
