/*
 * verdict: the words rank (on the terminal) and report (in the XHTML)
 * both use for what a tie means, so that the two never say different
 * things about one cell.
 */
#ifndef VMNETRANK_VERDICT_H
#define VMNETRANK_VERDICT_H

#include <stddef.h>

/* Why a cell may tie, from its power figures (ranks.csv: cell_n_reps,
 * cell_cv, detectable, reps_needed (0: none), detect, margin): "with 3
 * repetitions and CV 8%, differences under 25.9% cannot be seen; 13
 * repetitions would show 10%".  NaN figures give the reason there is no
 * figure.  Into BUF of CAP bytes. */
void verdict_power(char *buf, size_t cap, double n_reps, double cv,
		   double detectable, double reps_needed, double detect,
		   double margin);

#endif
