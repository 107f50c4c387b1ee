$VMNETRANK stats --confidence 0.9 -o $TMP fixtures/stats/small.csv && grep -e ^vm -e ,wall, $TMP/summary.csv | cut -d, -f1,4,8,12-19
