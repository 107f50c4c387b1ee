printf '3\n1\n2\n' | $VMNETRANK describe --csv
