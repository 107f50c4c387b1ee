$VMNETRANK ingest fixtures/ingest/errors/missing-direction.log
