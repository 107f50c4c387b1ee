$VMNETRANK describe --csv --column time_ms fixtures/describe/runs.csv
