$VMNETRANK stats -o $TMP fixtures/rank/identical/samples.csv && $VMNETRANK rank --bootstrap 2000 $TMP && cut -d, -f1-4,10-15 $TMP/ranks.csv && cut -d, -f4,5,15,18,19 $TMP/pairs.csv
