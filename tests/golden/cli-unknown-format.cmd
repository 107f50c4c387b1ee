$VMNETRANK ingest --format csvv fixtures/ingest/runner.csv
