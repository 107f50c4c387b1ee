$VMNETRANK stats --confidence 95 fixtures/stats/small.csv
