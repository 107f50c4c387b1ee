$VMNETRANK ingest fixtures/ingest/errors/missing-workload.log
