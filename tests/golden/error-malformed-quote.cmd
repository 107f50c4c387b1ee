$VMNETRANK ingest fixtures/ingest/errors/malformed-quote.log
