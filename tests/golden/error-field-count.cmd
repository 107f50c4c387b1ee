$VMNETRANK ingest fixtures/ingest/errors/field-count.log
