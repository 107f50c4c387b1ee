$VMNETRANK ingest --ok-status 300-200 --label direction=internal --label workload=w fixtures/ingest/statuses.csv
