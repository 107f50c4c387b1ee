$VMNETRANK rank fixtures/ingest
