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

/* After "tied for fastest: A, B, C": why, in parentheses, into BUF. TOP
 * is A, BEST what it has ("the best mean, 1.38 s"), BETTER "faster" or
 * "better"; of the NT named (A among them) NE are shown equal to A within
 * MARGIN, listed in EQ; WHY (NULL: none) is what the repetitions could
 * see (verdict_power). */
void verdict_tie(char *buf, size_t cap, const char *top, const char *best,
		 const char *better, size_t nt, size_t ne, const char *eq,
		 double margin, const char *why);

/* Append NAME to the ", "-separated LIST of CAP bytes (*N names so far),
 * when it fits. */
void verdict_list_add(char *list, size_t cap, size_t *n, const char *name);

#endif
