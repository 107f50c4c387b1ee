$VMNETRANK ingest fixtures/ingest/errors/time-range.log
