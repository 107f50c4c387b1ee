$VMNETRANK ingest fixtures/ingest/errors/truncated-fields.log
