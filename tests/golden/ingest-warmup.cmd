$VMNETRANK ingest --inputs $TMP/inputs.csv fixtures/ingest/native-warmup.log && cut -d, -f1,5-7 $TMP/inputs.csv
