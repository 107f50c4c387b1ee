$VMNETRANK ingest --label direction=internal fixtures/ingest/paper-samba.log
