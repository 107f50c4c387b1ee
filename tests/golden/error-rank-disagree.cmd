$VMNETRANK stats -o $TMP fixtures/rank/tied/samples.csv && $VMNETRANK stats -o $TMP/o fixtures/rank/identical/samples.csv && cp $TMP/o/summary.csv $TMP/summary.csv && $VMNETRANK rank $TMP
