$VMNETRANK describe --csv fixtures/describe/large-offset.txt
