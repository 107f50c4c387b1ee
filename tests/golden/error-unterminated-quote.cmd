$VMNETRANK ingest fixtures/ingest/errors/unterminated-quote.log
