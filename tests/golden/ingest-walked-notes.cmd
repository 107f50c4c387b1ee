$VMNETRANK ingest fixtures/ingest/with-notes | cut -d, -f1-5 && $VMNETRANK ingest --format native fixtures/ingest/with-notes | wc -l && $VMNETRANK ingest fixtures/ingest/with-notes/notes.txt
