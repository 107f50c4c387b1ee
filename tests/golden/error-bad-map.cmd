$VMNETRANK ingest --map start=seconds:min --map bogus!=x fixtures/ingest/runner.csv
