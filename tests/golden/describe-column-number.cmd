$VMNETRANK describe --csv --column 2 fixtures/describe/runs.csv
