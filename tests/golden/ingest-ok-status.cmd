$VMNETRANK ingest --ok-status 200-299,false --map start=t_start:s --map duration=ms:ms --map status=code --label direction=internal --label workload=w fixtures/ingest/statuses.csv | cut -d, -f9,10
