$VMNETRANK ingest fixtures/ingest/errors/end-before-start.log
