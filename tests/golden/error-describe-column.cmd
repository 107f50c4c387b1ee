$VMNETRANK describe --column nope fixtures/describe/runs.csv
