/*
 * vmnetrank run: every stage's options in one command, and the call
 * to run.c's road through the stages.
 */
#include "cli.h"
#include "run.h"
#include "../lib/diag.h"
#include "../lib/opts.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	U_OUTPUT, U_FORMAT, U_LABEL, U_MAP, U_NAME_PATTERN, U_DATE, U_OK_STATUS,
	U_IGNORE, U_TZ, U_NO_HEADER, U_SOURCES,
	U_KEEP_GOING, U_INCLUDE_WARMUP, U_KEEP_SAMPLES, U_CONFIDENCE, U_STEADY, U_EXACT_OPS, U_HOLD_OPS, U_WEIGHTS,
	U_SHARE, U_SHARES, U_BY,
	U_ALPHA, U_BOOTSTRAP, U_SEED, U_METRIC, U_MAX_FAILED, U_MARGIN, U_DETECT, U_MAX_CONFIGS, U_PAIRS_LIMIT, U_TEMPLATE,
	U_TITLE, U_NOTE, U_THREADS, U_QUIET, U_NO_KEEP_PREVIOUS, U_BASELINE,
	U_MATCH_IGNORE, U_HELP
};

const struct opt cli_run_opts[] = {
	[U_OUTPUT] = { "output", 'o', "DIR",
		       "where every file goes (default: vmnetrank-report)" },
	[U_FORMAT] = { "format", 0, "F", "as for ingest" },
	[U_LABEL] = { "label", 0, "K=V", "as for ingest (repeatable)" },
	[U_MAP] = { "map", 0, "FIELD=COLUMN[:UNIT]",
		    "as for ingest (repeatable)" },
	[U_NAME_PATTERN] = { "name-pattern", 0, "K1,K2,...", "as for ingest" },
	[U_DATE] = { "date", 0, "YYYY-MM-DD", "as for ingest" },
	[U_OK_STATUS] = { "ok-status", 0, "LIST", "as for ingest" },
	[U_IGNORE] = { "ignore", 0, "COLUMN", "as for ingest (repeatable)" },
	[U_TZ] = { "tz", 0, "ZONE", "as for ingest" },
	[U_NO_HEADER] = { "no-header", 0, NULL, "as for ingest" },
	[U_SOURCES] = { "sources", 0, "FILE", "as for ingest (repeatable)" },
	[U_KEEP_GOING] = { "keep-going", 0, NULL,
			   "as for ingest: bad rows to DIR/rejects.csv" },
	[U_INCLUDE_WARMUP] = { "include-warmup", 0, NULL, "as for ingest" },
	[U_KEEP_SAMPLES] = { "keep-samples", 0, NULL,
			     "also write DIR/samples.csv" },
	[U_CONFIDENCE] = { "confidence", 0, "C", "as for stats" },
	[U_STEADY] = { "steady", 0, NULL, "as for stats" },
	[U_EXACT_OPS] = { "exact-ops", 0, "N", "as for stats" },
	[U_HOLD_OPS] = { "hold-ops", 0, "N", "as for stats" },
	[U_WEIGHTS] = { "weights", 0, "FILE", "as for rank" },
	[U_SHARE] = { "share", 0, "WORKLOAD=P", "as for rank (repeatable)" },
	[U_SHARES] = { "shares", 0, "P,P,...", "as for rank" },
	[U_BY] = { "by", 0, "FACTOR,...", "as for rank" },
	[U_ALPHA] = { "alpha", 0, "A", "as for rank" },
	[U_BOOTSTRAP] = { "bootstrap", 0, "B", "as for rank" },
	[U_SEED] = { "seed", 0, "S", "as for rank" },
	[U_METRIC] = { "metric", 0, "[WORKLOAD=]NAME",
		       "as for rank (repeatable)" },
	[U_MAX_FAILED] = { "max-failed", 0, "SHARE", "as for rank" },
	[U_MAX_CONFIGS] = { "max-configs", 0, "N", "as for rank" },
	[U_PAIRS_LIMIT] = { "pairs-limit", 0, "N", "as for rank" },
	[U_MARGIN] = { "margin", 0, "PCT", "as for rank" },
	[U_DETECT] = { "detect", 0, "PCT", "as for rank" },
	[U_TEMPLATE] = { "template", 0, "FILE", "as for report" },
	[U_TITLE] = { "title", 0, "TEXT", "as for report" },
	[U_NOTE] = { "note", 0, "TEXT", "as for report (repeatable)" },
	[U_THREADS] = { "threads", 0, "N", "as for ingest, stats and rank" },
	[U_QUIET] = { "quiet", 'q', NULL,
		      "print only the report's path, no verdicts" },
	[U_NO_KEEP_PREVIOUS] = { "no-keep-previous", 0, NULL,
				 "do not keep an earlier run's files in "
				 "DIR/previous/" },
	[U_BASELINE] = { "baseline", 0, "DIR",
			 "compare with the run in DIR (as compare does): "
			 "baseline.csv and a report section" },
	[U_MATCH_IGNORE] = { "match-ignore", 0, "KEY",
			     "with --baseline: a label not to match on "
			     "(repeatable)" },
	[U_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

int cmd_run(int argc, char **argv)
{
	struct opts_parser p;
	struct run_options o;
	const char **labels = calloc((size_t)argc + 1, sizeof *labels);
	const char **maps = calloc((size_t)argc + 1, sizeof *maps);
	const char **notes = calloc((size_t)argc + 1, sizeof *notes);
	const char **ignore = calloc((size_t)argc + 1, sizeof *ignore);
	const char **metric = calloc((size_t)argc + 1, sizeof *metric);
	const char **sources = calloc((size_t)argc + 1, sizeof *sources);
	const char **mignore = calloc((size_t)argc + 1, sizeof *mignore);
	const char **shares = calloc((size_t)argc + 1, sizeof *shares);
	double *whatif = NULL;
	const char *arg, *outdir = "vmnetrank-report";
	char *cmdline = cli_command_line(argc, argv);
	unsigned long v;
	int id, threads = cli_default_threads();

	memset(&o, 0, sizeof o);
	o.ingest.labels = labels;
	o.ingest.maps = maps;
	o.ingest.ignore = ignore;
	o.stats.confidence = 0.95;
	o.stats.exact_ops = STATS_EXACT_OPS;
	o.stats.hold_ops = STATS_HOLD_OPS;
	o.rank.alpha = 0.05;
	o.rank.margin = 0.01;
	o.rank.detect = 0.10;
	o.rank.bootstrap = 10000;
	o.rank.max_configs = 1000;
	o.rank.pairs_limit = RANK_PAIRS_LIMIT;
	o.rank.seed = 1;
	o.rank.metrics = metric;
	o.rank.print_answer = 1;
	o.report.command = cmdline;
	o.report.notes = notes;
	opts_init(&p, "run", cli_run_opts, argc, argv);
	if (!labels || !maps || !notes || !ignore || !metric || !sources ||
	    !mignore || !shares)
		goto done;
	o.rank.shares = shares;
	o.sources = sources;
	o.baseline_ignore = mignore;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case U_OUTPUT: outdir = arg; break;
		case U_FORMAT: o.ingest.format = arg; break;
		case U_LABEL: labels[o.ingest.nlabels++] = arg; break;
		case U_MAP: maps[o.ingest.nmaps++] = arg; break;
		case U_NAME_PATTERN: o.ingest.name_pattern = arg; break;
		case U_DATE: o.ingest.date = arg; break;
		case U_OK_STATUS: o.ingest.ok_status = arg; break;
		case U_IGNORE: ignore[o.ingest.nignore++] = arg; break;
		case U_TZ: o.ingest.tz = arg; break;
		case U_NO_HEADER: o.ingest.no_header = 1; break;
		case U_SOURCES: sources[o.nsources++] = arg; break;
		case U_KEEP_GOING: o.ingest.keep_going = 1; break;
		case U_INCLUDE_WARMUP: o.ingest.include_warmup = 1; break;
		case U_KEEP_SAMPLES: o.keep_samples = 1; break;
		case U_QUIET: o.rank.print_answer = 0; break;
		case U_NO_KEEP_PREVIOUS: o.no_keep_previous = 1; break;
		case U_BASELINE: o.baseline = arg; break;
		case U_MATCH_IGNORE: mignore[o.nbaseline_ignore++] = arg; break;
		case U_STEADY: o.stats.steady = 1; break;
		case U_EXACT_OPS:
			if (cli_count("--exact-ops", arg, ULONG_MAX, &v) != 0)
				goto done;
			o.stats.exact_ops = v;
			break;
		case U_HOLD_OPS:
			if (cli_count("--hold-ops", arg, ULONG_MAX, &v) != 0)
				goto done;
			o.stats.hold_ops = v;
			break;
		case U_WEIGHTS: o.rank.weights = arg; break;
		case U_SHARE:
			if (cli_share_option("run", arg) != 0)
				goto done;
			shares[o.rank.nshares++] = arg;
			break;
		case U_SHARES:
			if (cli_whatif("run", arg, &whatif, &o.rank.nwhatif) != 0)
				goto done;
			o.rank.whatif = whatif;
			break;
		case U_BY: o.rank.by = arg; break;
		case U_TEMPLATE: o.report.template_path = arg; break;
		case U_TITLE: o.report.title = arg; break;
		case U_NOTE: notes[o.report.nnotes++] = arg; break;
		case U_CONFIDENCE:
			if (cli_level("run", "--confidence", arg,
				      &o.stats.confidence) != 0)
				goto done;
			break;
		case U_ALPHA:
			if (cli_level("run", "--alpha", arg, &o.rank.alpha) != 0)
				goto done;
			break;
		case U_BOOTSTRAP:
			if (cli_count("--bootstrap", arg, 10000000, &v) != 0)
				goto done;
			o.rank.bootstrap = v;
			break;
		case U_SEED:
			if (cli_count("--seed", arg, 4294967295ul, &o.rank.seed) != 0)
				goto done;
			break;
		case U_METRIC:
			metric[o.rank.nmetrics++] = arg;
			break;
		case U_MAX_FAILED:
			if (cli_share("run", arg, &o.rank.max_failed) != 0)
				goto done;
			break;
		case U_MARGIN:
			if (cli_pct("run", "--margin", arg, 0, 50, &o.rank.margin) != 0)
				goto done;
			break;
		case U_MAX_CONFIGS:
			if (cli_count("--max-configs", arg, 100000000, &v) != 0)
				goto done;
			o.rank.max_configs = v;
			break;
		case U_PAIRS_LIMIT:
			if (cli_count("--pairs-limit", arg, 100000000, &v) != 0)
				goto done;
			o.rank.pairs_limit = v;
			break;
		case U_DETECT:
			if (cli_pct("run", "--detect", arg, 0, 100, &o.rank.detect) != 0)
				goto done;
			break;
		case U_THREADS:
			if (cli_threads(arg, &threads) != 0)
				goto done;
			break;
		case U_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("run"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands == 0 && o.nsources == 0) {
		diag(DIAG_USAGE, "run: no input (expected one or more log "
				 "files or folders, or --sources FILE)");
		goto done;
	}
	o.ingest.threads = threads;
	o.stats.threads = threads;
	o.rank.threads = threads;
	if (cli_output_folder(outdir) != 0)
		goto done;
	if (vmnetrank_run((const char *const *)p.operands, (size_t)p.noperands,
			  &o, outdir) == 0)
		term_printf(stdout, "%s/report.xhtml\n", outdir);
done:
	free(cmdline);
	free(labels);
	free(maps);
	free(notes);
	free(ignore);
	free(metric);
	free(sources);
	free(mignore);
	free(shares);
	free(whatif);
	opts_release(&p);
	return diag_exit_status();
}
