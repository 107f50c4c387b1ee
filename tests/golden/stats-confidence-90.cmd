$VMNETRANK stats --confidence 0.9 -o $TMP fixtures/stats/small.csv && cut -d, -f1,6-12 $TMP/summary.csv
