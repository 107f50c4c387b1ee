$VMNETRANK stats -o $TMP fixtures/stats/bad-values.csv; echo status $?; ls $TMP
