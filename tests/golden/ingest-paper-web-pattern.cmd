$VMNETRANK ingest --name-pattern net,direction,-,run fixtures/ingest/paper-web.log
