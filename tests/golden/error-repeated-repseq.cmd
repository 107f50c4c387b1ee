$VMNETRANK ingest fixtures/ingest/errors/repeated-repseq.log
