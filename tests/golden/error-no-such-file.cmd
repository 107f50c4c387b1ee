$VMNETRANK ingest fixtures/ingest/no-such.log
