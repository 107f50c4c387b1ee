$VMNETRANK ingest 'fixtures/ingest/vm=coLinux/netmode=TAP/direction=external/file-1k.log'
