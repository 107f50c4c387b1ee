$VMNETRANK ingest fixtures/ingest/overlap.log | cut -d, -f4,5
