$VMNETRANK ingest fixtures/ingest/errors/no-rows.log
