$VMNETRANK ingest --label vm=VirtualBox fixtures/ingest/paper-web.log
