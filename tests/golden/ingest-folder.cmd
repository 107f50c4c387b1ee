$VMNETRANK ingest --label mem_mb=256 fixtures/ingest/vm=coLinux
