$VMNETRANK stats -o $TMP fixtures/rank/tied/samples.csv && $VMNETRANK rank --bootstrap 2000 --seed 7 $TMP && cat $TMP/ranks.csv $TMP/pairs.csv $TMP/kendall.csv
