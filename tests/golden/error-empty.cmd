$VMNETRANK ingest fixtures/ingest/errors/empty.log
