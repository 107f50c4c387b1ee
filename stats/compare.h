/*
 * compare: two runs of the same experiment, group by group (README,
 * "vmnetrank compare").  Each run is a folder with reps.csv and
 * summary.csv.  Groups (configuration x workload x direction) are matched
 * by their labels, less the keys of match_ignore.  Per matched group, on
 * the repetitions of its workload's metric (times, or the reciprocals of
 * rates): the ratio NEW/BASE with its Fieller interval, Welch's and
 * Mann-Whitney's p, Holm over all matched groups, and a verdict:
 *   faster / slower   NEW beats BASE or BASE beats NEW (rank's rule:
 *                     Holm p < alpha and the whole interval beyond the
 *                     margin);
 *   same              equivalent within the margin (two one-sided tests,
 *                     Holm);
 *   inconclusive      neither; with the smallest change this data could
 *                     detect (80% power);
 *   failed            a side with failed operations beyond max_failed.
 */
#ifndef VMNETRANK_COMPARE_H
#define VMNETRANK_COMPARE_H

#include <stddef.h>
#include <stdio.h>

struct compare_options {
	double alpha;               /* 0.05 */
	double margin;              /* 0.01 */
	double max_failed;          /* 0 */
	const char *const *ignore;  /* label keys not matched on */
	size_t nignore;
	const char *const *metrics; /* NAME or WORKLOAD=NAME, as rank */
	size_t nmetrics;
	double fail_on_slower;      /* >= 0: exit 3 when a group is proven
	                               slower by more than this share; < 0:
	                               never */
	int csv;                    /* the table as CSV on OUT */
};

/* Compare the runs in folders BASE and NEW, writing the table to OUT
 * (BASE_NAME and NEW_NAME as the user named them).  0; 3 when
 * fail_on_slower says so; -1 after messages. */
int compare_run(const char *base, const char *new_, const char *base_name,
		const char *new_name, const struct compare_options *o,
		FILE *out);

#endif
