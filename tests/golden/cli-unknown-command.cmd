$VMNETRANK ingset x
