$VMNETRANK describe fixtures/describe/bad.txt
