$VMNETRANK ingest fixtures/ingest/errors/bad-direction.log
