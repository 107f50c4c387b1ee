$VMNETRANK ingest fixtures/ingest/errors/web-bad-cmdline.log
