$VMNETRANK stats -o $TMP fixtures/stats/small.csv && cat $TMP/reps.csv $TMP/summary.csv $TMP/hist.csv
