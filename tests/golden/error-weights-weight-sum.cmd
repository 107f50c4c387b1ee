$VMNETRANK stats -o $TMP fixtures/rank/three/samples.csv && $VMNETRANK rank --weights fixtures/weights/bad-weight-sum.txt $TMP; echo status $?; ls $TMP
