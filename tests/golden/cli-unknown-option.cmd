$VMNETRANK ingest --keep-goin x
