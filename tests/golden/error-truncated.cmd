$VMNETRANK ingest fixtures/ingest/errors/truncated.log
