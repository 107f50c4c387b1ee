$VMNETRANK ingest fixtures/ingest/errors/nul-in-row.log
