$VMNETRANK ingest --label direction=internal fixtures/ingest/errors/samba-no-date.log
