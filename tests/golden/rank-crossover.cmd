$VMNETRANK stats -o $TMP fixtures/rank/crossover/samples.csv && $VMNETRANK rank --bootstrap 500 $TMP && cat $TMP/sensitivity.csv && cut -d, -f1-12 $TMP/scores.csv
