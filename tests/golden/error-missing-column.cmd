$VMNETRANK ingest fixtures/ingest/errors/missing-column.log
