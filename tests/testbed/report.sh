#!/bin/sh
# The report of a testbed run: vmnetrank run over LOGS with each line of
# NOTES (the testbed, its sizes, the caveat) as a --note, by netmode (or
# BY: the matrix run is ranked by vm, the paper's Table 3).
# Used by testbed.sh and by `make demo` for fixtures/real/.
#   sh report.sh VMNETRANK LOGS NOTES TITLE OUTDIR [BY]
set -u
V=$1 LOGS=$2 NOTES=$3 TITLE=$4 OUTDIR=$5 BY=${6:-netmode}
set --
while IFS= read -r line; do
	[ -n "$line" ] && set -- "$@" --note "$line"
done < "$NOTES"
exec "$V" run -o "$OUTDIR" --keep-samples --bootstrap 2000 --by "$BY" \
	--title "$TITLE" "$@" "$LOGS"
