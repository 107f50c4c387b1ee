$VMNETRANK ingest --label direction=external --label workload=web --label vm=QEMU --map start=seconds:s --map duration=ttime:ms fixtures/ingest/ab-g.tsv
