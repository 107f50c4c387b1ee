$VMNETRANK report -o $TMP fixtures/ingest; echo status $?; ls $TMP
