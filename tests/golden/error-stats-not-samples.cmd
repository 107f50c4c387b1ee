$VMNETRANK stats -o $TMP fixtures/stats/not-samples.csv
