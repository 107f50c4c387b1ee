$VMNETRANK stats -o $TMP fixtures/stats/warmup.csv && cat $TMP/reps.csv $TMP/summary.csv
