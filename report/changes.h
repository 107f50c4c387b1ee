/*
 * changes: what a run changed against the one before it in the same
 * folder (README, "What changed since the last run"), from the two runs'
 * ranks.csv and scores.csv: cells and configurations added or removed,
 * repetitions added, and every verdict that moved (the fastest set of a
 * cell, a rank interval, eligibility, the weighted-score winners), each
 * with the figures before and after.
 *
 * changes.csv, one row a change:
 *   kind          cell-added, cell-removed, config-added, config-removed,
 *                 reps, eligible, rank, fastest, score-winner
 *   workload, direction   the cell (scope and empty for score-winner)
 *   configuration the configuration (empty for a cell or a set)
 *   before, after the figures: repetitions, "lo-hi" ranks, yes/no, or a
 *                 set of names joined by " | "
 *   note          in words ("tie resolved", "mean 1.2 s -> 1.1 s")
 */
#ifndef VMNETRANK_CHANGES_H
#define VMNETRANK_CHANGES_H

/* OLD and NEW are folders with ranks.csv (scores.csv optional); changes.csv
 * is written into OUTDIR (a file written whole, or not at all).  0, or -1
 * after a diagnostic. */
int changes_write(const char *olddir, const char *newdir, const char *outdir);

#endif
