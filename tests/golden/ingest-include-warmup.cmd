$VMNETRANK ingest --include-warmup fixtures/ingest/native-warmup.log
