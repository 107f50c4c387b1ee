$VMNETRANK stats -o $TMP fixtures/rank/tied/samples.csv && $VMNETRANK rank --by netmode $TMP; echo status $?; ls $TMP
