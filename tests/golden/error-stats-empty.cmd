$VMNETRANK stats -o $TMP fixtures/stats/empty.csv
