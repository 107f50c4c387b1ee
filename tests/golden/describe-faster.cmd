$VMNETRANK describe fixtures/describe/slow.txt fixtures/describe/fast.txt | tail -6
