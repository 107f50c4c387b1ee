$VMNETRANK ingest -o $TMP/s.csv fixtures/ingest/two-files && $VMNETRANK stats -o $TMP $TMP/s.csv && cut -d, -f1-9 $TMP/reps.csv && grep -e ^vm -e ,wall, $TMP/summary.csv | cut -d, -f1-12
