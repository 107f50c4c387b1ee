$VMNETRANK ingest fixtures/ingest/errors/version.log
