$VMNETRANK rank --alpha 5 --bootstrap -3 x
