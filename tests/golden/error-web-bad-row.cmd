$VMNETRANK ingest fixtures/ingest/errors/web-bad-row.log
