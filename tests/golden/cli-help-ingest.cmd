$VMNETRANK help ingest
