$VMNETRANK ingest fixtures/ingest/errors/bad-number.log
