/*
 * run: every stage in one process.  Ingest hands each sample straight to
 * the stats stage's table (no samples.csv unless keep_samples), then
 * stats, rank and report write their files, the same files the stages
 * write when run one by one, into a staging folder that lib/outdir moves
 * into OUTDIR only when every stage succeeded (OUTDIR locked meanwhile).
 * The weights file, the template and its stylesheet are checked first.
 */
#ifndef VMNETRANK_RUN_H
#define VMNETRANK_RUN_H

#include "../ingest/ingest.h"
#include "../report/report.h"
#include "../stats/rank.h"
#include "../stats/stats.h"

struct run_options {
	struct ingest_options ingest;
	struct stats_options stats;
	struct rank_options rank;
	struct report_options report;
	int keep_samples;
	int no_keep_previous;       /* no DIR/previous/ */
	const char *baseline;       /* --baseline DIR: compare against it */
	const char *const *baseline_ignore; /* --match-ignore */
	size_t nbaseline_ignore;
	const char *const *sources; /* --sources files */
	size_t nsources;
};

int vmnetrank_run(const char *const *paths, size_t npaths,
		  const struct run_options *o, const char *outdir);

/* The stats stage's table from inputs of any kind (raw logs, samples.csv
 * files, --sources files), through ingest; NULL after messages. */
struct stats_table *run_table(const char *const *paths, size_t npaths,
			      const char *const *sources, size_t nsources,
			      const struct ingest_options *io,
			      const struct stats_options *so);

#endif
