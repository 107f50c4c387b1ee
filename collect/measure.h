/*
 * measure: a plan's trials, run in its schedule (README, "vmnetrank
 * measure"): each trial's log written whole (a temporary renamed), a
 * completed trial skipped when the plan runs again, setups and teardowns
 * around each configuration's block, SIGINT leaving the plan resumable.
 */
#ifndef VMNETRANK_MEASURE_H
#define VMNETRANK_MEASURE_H

#include <stddef.h>

struct measure_options {
	int dry_run;   /* print the schedule and its estimate, run nothing */
	int fresh;     /* remove the plan's logs first */
	int report;    /* vmnetrank run on the logs when the plan completes */
	int quiet;     /* no progress */
	char **sets;   /* --set NAME=VALUE, nsets of them */
	size_t nsets;
};

/* 0 when every trial is done; 1 when some trials' runs or setups failed
 * (their logs say so); 130 after SIGINT; -1 after messages. */
int measure_run(const char *plan, const struct measure_options *o);

#endif
