$VMNETRANK ingest fixtures/ingest/with-notes | cut -d, -f1-5 && $VMNETRANK ingest fixtures/ingest/with-notes/notes.txt
