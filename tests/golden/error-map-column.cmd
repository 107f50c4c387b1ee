$VMNETRANK ingest --map start=nope:s --label direction=internal --label workload=w fixtures/ingest/runner.csv
