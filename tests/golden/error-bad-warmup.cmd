$VMNETRANK ingest fixtures/ingest/errors/bad-warmup.log
