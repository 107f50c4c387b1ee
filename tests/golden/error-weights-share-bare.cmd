$VMNETRANK stats -o $TMP fixtures/rank/three/samples.csv && $VMNETRANK rank --weights fixtures/weights/share-bare-20.txt $TMP; echo status $?; ls $TMP
