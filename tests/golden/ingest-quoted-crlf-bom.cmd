$VMNETRANK ingest fixtures/ingest/native-quoted.log
