$VMNETRANK stats fixtures/stats/small.csv fixtures/stats/warmup.csv
