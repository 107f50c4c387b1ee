/*
 * vmnetrank stats and vmnetrank describe: their options, and the
 * calls to the stats stage.
 */
#include "cli.h"
#include "run.h"
#include "../ingest/ingest.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "../stats/stats.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { S_OUTPUT, S_CONFIDENCE, S_STEADY, S_EXACT_OPS, S_HOLD_OPS, S_THREADS, S_OK_STATUS,
       S_SOURCES, S_HELP };

const struct opt cli_stats_opts[] = {
	[S_OUTPUT] = { "output", 'o', "DIR",
		       "write reps.csv, summary.csv and hist.csv to DIR "
		       "(default: the folder of SAMPLES.csv)" },
	[S_CONFIDENCE] = { "confidence", 0, "C",
			   "confidence level of every interval (default "
			   "0.95)" },
	[S_STEADY] = { "steady", 0, NULL,
		       "compute on the steady-state operations (after "
		       "MSER-5 warm-up truncation)" },
	[S_EXACT_OPS] = { "exact-ops", 0, "N",
			  "a group of more than N successful operations has "
			  "its operation quantiles and hist.csv from a "
			  "log-linear histogram, within 1/512 (default "
			  "131072; 0: always exact)" },
	[S_HOLD_OPS] = { "hold-ops", 0, "N",
			 "past N operations in memory, compute the "
			 "repetitions of the files read so far and let their "
			 "operations go (default 2097152; 0: hold all; the "
			 "figures are the same)" },
	[S_THREADS] = { "threads", 0, "N",
			"1: one thread; more (default: the CPUs): parse raw "
			"logs on N threads, read a large samples file in two "
			"halves and compute the groups on two (same output)" },
	[S_OK_STATUS] = { "ok-status", 0, "LIST",
			  "statuses that succeed in a samples.csv another "
			  "tool wrote (default: only empty and ok, as ingest "
			  "writes them)" },
	[S_SOURCES] = { "sources", 0, "FILE",
			"inputs listed in FILE with their options, as for "
			"ingest (repeatable)" },
	[S_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

/* PATH's header row: does it name every one of NAMES (NULL-ended)?
 * -1 when PATH is no regular file, -2 when it cannot be read or is
 * empty. */
static int header_names(const char *path, const char *const *names)
{
	char head[4096];
	FILE *fp;
	size_t n;
	struct stat st;
	int all = 1;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return -1;
	if (!(fp = fopen(path, "r")))
		return -2;
	n = fread(head, 1, sizeof head - 1, fp);
	fclose(fp);
	if (n == 0)
		return -2;
	head[n] = '\0';
	head[strcspn(head, "\r\n")] = '\0';
	for (size_t i = 0; names[i] && all; i++) {
		int found = 0;

		for (char *p = head; *p && !found;) {
			size_t len = strcspn(p, ",");

			found = len == strlen(names[i]) && memcmp(p, names[i], len) == 0;
			p += len + (p[len] == ',');
		}
		all = found;
	}
	return all;
}

/* Is PATH a samples.csv (its header row names rep and start_us), or
 * something for ingest to read?  A path that cannot be read, or an empty
 * file, is left to the samples reader, whose message says why. */
static int is_samples(const char *path)
{
	static const char *const cols[] = { "rep", "start_us", NULL };
	int r = header_names(path, cols);

	return r == -2 || r == 1;
}

/* Is PATH repetition rows (reps.csv's columns: its header names ops,
 * failed_ops and wall_us), as another engine writes them? */
static int is_reps(const char *path)
{
	static const char *const cols[] = { "ops", "failed_ops", "wall_us", NULL };

	return header_names(path, cols) == 1;
}

int cmd_stats(int argc, char **argv)
{
	struct opts_parser p;
	struct stats_options o = { 0.95, 0, 0, NULL, STATS_EXACT_OPS,
				   STATS_HOLD_OPS };
	int threads = cli_default_threads();
	const char *arg, *outdir = NULL;
	char *dir = NULL;
	struct stats_table *t = NULL;
	const char **sources = calloc((size_t)argc + 1, sizeof *sources);
	size_t nsources = 0;
	unsigned long v;
	int id;

	opts_init(&p, "stats", cli_stats_opts, argc, argv);
	if (!sources)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case S_OUTPUT:
			outdir = arg;
			break;
		case S_CONFIDENCE:
			if (cli_level("stats", "--confidence", arg, &o.confidence) != 0)
				goto done;
			break;
		case S_STEADY:
			o.steady = 1;
			break;
		case S_EXACT_OPS:
			if (cli_count("--exact-ops", arg, ULONG_MAX, &v) != 0)
				goto done;
			o.exact_ops = v;
			break;
		case S_HOLD_OPS:
			if (cli_count("--hold-ops", arg, ULONG_MAX, &v) != 0)
				goto done;
			o.hold_ops = v;
			break;
		case S_THREADS:
			if (cli_threads(arg, &threads) != 0)
				goto done;
			break;
		case S_OK_STATUS:
			o.ok_status = arg;
			break;
		case S_SOURCES:
			sources[nsources++] = arg;
			break;
		case S_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("stats"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands == 0 && nsources == 0) {
		diag(DIAG_USAGE, "stats: no input (expected SAMPLES.csv as "
				 "'vmnetrank ingest' writes it, or several "
				 "inputs: samples.csv files, raw logs, "
				 "--sources FILE)");
		goto done;
	}
	if (!outdir && p.noperands == 0) {
		diag(DIAG_USAGE, "stats: with --sources alone, give -o DIR");
		goto done;
	}
	dir = outdir ? strdup(outdir) : cli_folder_of(p.operands[0]);
	if (!dir || cli_output_folder(dir) != 0)
		goto done;
	o.threads = threads;
	{
		int shards = 0;

		for (int i = 0; i < p.noperands; i++)
			shards += stats_is_shard(p.operands[i]);
		if (shards && (shards < p.noperands || nsources)) {
			diag(DIAG_USAGE, "stats: %d of the inputs are shards: "
					 "give shards alone (make a shard of "
					 "the other logs with 'vmnetrank ingest "
					 "--partial')", shards);
			goto done;
		}
		if (shards) {
			/* shards: their repetitions, merged */
			t = stats_shards_read((const char *const *)p.operands,
					      (size_t)p.noperands, &o);
			goto have;
		}
	}
	if (p.noperands == 1 && nsources == 0 && is_reps(p.operands[0])) {
		/* repetition rows (another engine's): their figures */
		t = stats_reps_read(p.operands[0], &o);
		goto have;
	}
	if (p.noperands == 1 && nsources == 0 && is_samples(p.operands[0])) {
		/* one samples.csv: its own fast reader */
		t = stats_table_read(p.operands[0], &o);
	} else {
		/* anything else goes through ingest, as for run */
		struct ingest_options io;

		memset(&io, 0, sizeof io);
		io.ok_status = o.ok_status;
		io.threads = threads;
		t = run_table((const char *const *)p.operands,
			      (size_t)p.noperands, sources, nsources, &io,
			      &o);
	}
have:
	if (t)
		cli_staged(dir, 0, cli_stats_stage, &(struct stage_args){ .t = t, .so = &o });
done:
	stats_table_free(t);
	free(sources);
	free(dir);
	opts_release(&p);
	return diag_exit_status();
}


enum { D_COLUMN, D_CONFIDENCE, D_CSV, D_HELP };

const struct opt cli_describe_opts[] = {
	[D_COLUMN] = { "column", 0, "N|NAME",
		       "read column N (from 1) or NAME of a CSV file instead "
		       "of one number per line" },
	[D_CONFIDENCE] = { "confidence", 0, "C",
			   "confidence level (default 0.95)" },
	[D_CSV] = { "csv", 0, NULL,
		    "one CSV row per input instead of the text report" },
	[D_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

int cmd_describe(int argc, char **argv)
{
	struct opts_parser p;
	struct describe_options o = { NULL, 0.95, 0 };
	const char *arg;
	int id;

	opts_init(&p, "describe", cli_describe_opts, argc, argv);
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case D_COLUMN:
			if (*arg && strspn(arg, "0123456789") == strlen(arg) &&
			    (strlen(arg) > 7 || atol(arg) < 1)) {
				/* a number counts from 1 (0 read before the
				 * fields) */
				diag(DIAG_USAGE,
				     "describe: --column '%s': expected a column "
				     "number from 1 (the first) to 9999999, or a "
				     "column name",
				     arg);
				goto done;
			}
			if (!*arg) {
				diag(DIAG_USAGE, "describe: --column '': expected "
						 "a column number or name");
				goto done;
			}
			o.column = arg;
			break;
		case D_CONFIDENCE:
			if (cli_level("describe", "--confidence", arg, &o.confidence) != 0)
				goto done;
			break;
		case D_CSV:
			o.csv = 1;
			break;
		case D_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("describe"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	stats_describe((const char *const *)p.operands, (size_t)p.noperands,
		       &o);
done:
	opts_release(&p);
	return diag_exit_status();
}
