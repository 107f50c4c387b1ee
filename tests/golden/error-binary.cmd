$VMNETRANK ingest fixtures/ingest/errors/binary.log
