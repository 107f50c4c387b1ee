$VMNETRANK ingest --label direction=internal --label workload=web fixtures/ingest/errors/ambiguous.txt
