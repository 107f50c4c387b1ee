$VMNETRANK stats --steady -o $TMP fixtures/stats/warmup.csv && cat $TMP/reps.csv $TMP/summary.csv
