$VMNETRANK describe fixtures/describe/sleep2.txt fixtures/describe/sleep1.txt
