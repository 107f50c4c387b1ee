/*
 * vmnetrank compare: its options, its inputs (stage folders or raw
 * logs), and the call to stats/compare.
 */
#include "cli.h"
#include "run.h"
#include "../ingest/ingest.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "../stats/compare.h"
#include "../stats/stats.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { C_MATCH_IGNORE, C_METRIC, C_ALPHA, C_MARGIN, C_MAX_FAILED,
       C_FAIL_ON_SLOWER, C_CSV, C_HELP };

const struct opt cli_compare_opts[] = {
	[C_MATCH_IGNORE] = { "match-ignore", 0, "KEY",
			     "a label not to match groups on, e.g. build "
			     "(repeatable)" },
	[C_METRIC] = { "metric", 0, "[WORKLOAD=]NAME",
		       "as for rank (default wall; busy where a run has no "
		       "wall times)" },
	[C_ALPHA] = { "alpha", 0, "A", "as for rank (default 0.05)" },
	[C_MARGIN] = { "margin", 0, "PCT",
		       "changes under PCT% are the same (default 1)" },
	[C_MAX_FAILED] = { "max-failed", 0, "SHARE",
			   "as for rank: a group with a larger share of "
			   "failed operations on either side is 'failed'" },
	[C_FAIL_ON_SLOWER] = { "fail-on-slower", 0, "PCT",
			       "exit 3 when a group is proven slower by more "
			       "than PCT% (its whole interval above 1 + PCT%)" },
	[C_CSV] = { "csv", 0, NULL, "the table as CSV" },
	[C_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

/* A run to compare: a folder with reps.csv and summary.csv as it is; any
 * other input (raw logs, samples.csv) ingested and its stats written into
 * a temporary folder (*TMP, removed by the caller). */
static int compare_input(const char *path, char **dir, char **tmp)
{
	char reps[4096];
	struct stat st;

	*tmp = NULL;
	snprintf(reps, sizeof reps, "%s/reps.csv", path);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && stat(reps, &st) == 0) {
		*dir = strdup(path);
		return *dir ? 0 : -1;
	}
	{
		const char *base = getenv("TMPDIR");
		char tpl[4096];
		struct ingest_options io;
		struct stats_options so = { 0.95, 0, 0, NULL, STATS_EXACT_OPS,
					    STATS_HOLD_OPS };
		struct stats_table *t;
		const char *paths[1] = { path };
		int rc;

		snprintf(tpl, sizeof tpl, "%s/vmnetrank-compare.XXXXXX",
			 base && *base ? base : "/tmp");
		if (!mkdtemp(tpl)) {
			diag(DIAG_ERROR, "cannot make a temporary folder: %s",
			     strerror(errno));
			return -1;
		}
		*tmp = strdup(tpl);
		*dir = strdup(tpl);
		memset(&io, 0, sizeof io);
		io.threads = 1;
		so.threads = 1;
		t = run_table(paths, 1, NULL, 0, &io, &so);
		if (!t)
			return -1;
		rc = stats_write(t, &so, tpl);
		stats_table_free(t);
		return rc;
	}
}

static void remove_tmp(const char *dir)
{
	static const char *const names[] = { "reps.csv", "summary.csv",
					     "hist.csv", NULL };
	char p[4200];

	if (!dir)
		return;
	for (size_t i = 0; names[i]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

int cmd_compare(int argc, char **argv)
{
	struct opts_parser p;
	struct compare_options o;
	const char **ignore = calloc((size_t)argc + 1, sizeof *ignore);
	const char **metric = calloc((size_t)argc + 1, sizeof *metric);
	char *dirs[2] = { NULL, NULL }, *tmps[2] = { NULL, NULL };
	const char *arg;
	int id, rc = 2;

	memset(&o, 0, sizeof o);
	o.alpha = 0.05;
	o.margin = 0.01;
	o.fail_on_slower = -1;
	o.ignore = ignore;
	o.metrics = metric;
	opts_init(&p, "compare", cli_compare_opts, argc, argv);
	if (!ignore || !metric)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case C_MATCH_IGNORE: ignore[o.nignore++] = arg; break;
		case C_METRIC: metric[o.nmetrics++] = arg; break;
		case C_CSV: o.csv = 1; break;
		case C_ALPHA:
			if (cli_level("compare", "--alpha", arg, &o.alpha) != 0)
				goto done;
			break;
		case C_MARGIN:
			if (cli_pct("compare", "--margin", arg, 0, 50, &o.margin) != 0)
				goto done;
			break;
		case C_MAX_FAILED:
			if (cli_share("compare", arg, &o.max_failed) != 0)
				goto done;
			break;
		case C_FAIL_ON_SLOWER:
			if (cli_pct("compare", "--fail-on-slower", arg, 0, 1000,
				    &o.fail_on_slower) != 0)
				goto done;
			break;
		case C_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("compare"));
			rc = 0;
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands != 2) {
		diag(DIAG_USAGE, "compare: expected BASE and NEW (run folders, "
				 "or raw logs)");
		goto done;
	}
	rc = 1;
	if (compare_input(p.operands[0], &dirs[0], &tmps[0]) != 0 ||
	    compare_input(p.operands[1], &dirs[1], &tmps[1]) != 0)
		goto done;
	rc = compare_run(dirs[0], dirs[1], p.operands[0], p.operands[1], &o,
			 stdout);
	rc = rc < 0 ? 1 : rc;
done:
	for (int k = 0; k < 2; k++) {
		remove_tmp(tmps[k]);
		free(tmps[k]);
		free(dirs[k]);
	}
	free(ignore);
	free(metric);
	opts_release(&p);
	if (rc == 3)
		return diag_exit_status() ? diag_exit_status() : 3;
	return rc == 0 || rc == 1 ? (diag_exit_status() ? diag_exit_status() : rc)
				  : rc;
}
