$VMNETRANK ingest fixtures/ingest/native-basic.log
