/*
 * vmnetrank ingest: its options, and the call to the ingest stage.
 */
#include "cli.h"
#include "run.h"
#include "../ingest/ingest.h"
#include "../stats/stats.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "../lib/outfile.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	I_OUTPUT,
	I_FORMAT,
	I_LABEL,
	I_MAP,
	I_NAME_PATTERN,
	I_DATE,
	I_KEEP_GOING,
	I_INCLUDE_WARMUP,
	I_REJECTS,
	I_NO_FAST_PATH,
	I_THREADS,
	I_SPLIT_BYTES,
	I_INPUTS,
	I_OK_STATUS,
	I_IGNORE,
	I_TZ,
	I_NO_HEADER,
	I_SOURCES,
	I_PARTIAL,
	I_EXACT_OPS,
	I_HELP
};

const struct opt cli_ingest_opts[] = {
	[I_OUTPUT] = { "output", 'o', "FILE",
		       "write samples.csv to FILE (default: stdout)" },
	[I_FORMAT] = { "format", 0, "F",
		       "auto (default), native, csv, tsv, paper-web, "
		       "paper-samba, ab, jmeter, hyperfine, iperf3, siege, "
		       "curl, samples" },
	[I_LABEL] = { "label", 0, "K=V",
		      "set a label on every sample (repeatable; wins over "
		      "the logs)" },
	[I_MAP] = { "map", 0, "FIELD=COLUMN[:UNIT]",
		    "delimited logs: take FIELD (start, end, duration, rep, seq, "
		    "bytes, status, server, or a label) from COLUMN (a name, "
		    "or a number from 1); UNIT s, ms, us, ns, or iso for "
		    "a date-time (repeatable)" },
	[I_NAME_PATTERN] = { "name-pattern", 0, "K1,K2,...",
			     "paper-web: label names of the cmdLine tokens "
			     "(default netmode,direction,mem_mb,tag; '-' "
			     "skips one)" },
	[I_DATE] = { "date", 0, "YYYY-MM-DD",
		     "paper-samba: the day the log starts (UTC)" },
	[I_KEEP_GOING] = { "keep-going", 0, NULL,
			   "write the good rows; bad rows go to rejects.csv "
			   "with the reason" },
	[I_INCLUDE_WARMUP] = { "include-warmup", 0, NULL,
			       "keep the operations a log marks warmup=1 "
			       "(left out by default)" },
	[I_REJECTS] = { "rejects", 0, "FILE",
			"with --keep-going: where the bad rows go (default: "
			"rejects.csv beside the output)" },
	[I_NO_FAST_PATH] = { "no-fast-path", 0, NULL,
			     "parse every CSV line with libcsv (for testing "
			     "the fast path)" },
	[I_THREADS] = { "threads", 0, "N",
			"parse the files on N threads (default: the CPUs) "
			"while this one writes them in order; 1: one thread "
			"(same output)" },
	[I_SPLIT_BYTES] = { "split-bytes", 0, "N",
			    "with 2+ threads, parse a native log larger than "
			    "N bytes in parts of about N on several (default "
			    "67108864; 0: never; same output)" },
	[I_INPUTS] = { "inputs", 0, "FILE",
		       "also write inputs.csv: every input with its format, "
		       "size, SHA-256, rows and header metadata" },
	[I_OK_STATUS] = { "ok-status", 0, "LIST",
			  "the statuses that mean success, e.g. 200-299,304 "
			  "(default: empty, ok, true, success, 0, 100-399)" },
	[I_IGNORE] = { "ignore", 0, "COLUMN",
		       "csv/tsv: a column not to warn about when no --map "
		       "uses it (repeatable)" },
	[I_TZ] = { "tz", 0, "ZONE",
		   "the zone of date-times that carry none: UTC, +01:00, or "
		   "a name such as Europe/Berlin" },
	[I_NO_HEADER] = { "no-header", 0, NULL,
			  "csv/tsv: the first row is data; --map takes "
			  "columns by number" },
	[I_SOURCES] = { "sources", 0, "FILE",
			"inputs listed in FILE, one a line, each with its own "
			"--format, --label, --map... (repeatable)" },
	[I_PARTIAL] = { "partial", 0, NULL,
			"write a shard of the inputs' repetitions and "
			"durations (-o FILE), for stats to merge with other "
			"shards, instead of samples.csv" },
	[I_EXACT_OPS] = { "exact-ops", 0, "N",
			  "with --partial: as for stats (default 131072); "
			  "stats must be given the same" },
	[I_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

static char *rejects_beside(const char *output)
{
	const char *slash = output ? strrchr(output, '/') : NULL;
	size_t dirlen = slash ? (size_t)(slash - output) + 1 : 0;
	char *p = malloc(dirlen + sizeof "rejects.csv");

	if (p) {
		memcpy(p, output, dirlen);
		memcpy(p + dirlen, "rejects.csv", sizeof "rejects.csv");
	}
	return p;
}

int cmd_ingest(int argc, char **argv)
{
	struct opts_parser p;
	struct ingest_options o;
	const char **labels = calloc((size_t)argc, sizeof *labels);
	const char **maps = calloc((size_t)argc, sizeof *maps);
	const char **ignore = calloc((size_t)argc, sizeof *ignore);
	const char **sources = calloc((size_t)argc, sizeof *sources);
	size_t nsources = 0;
	const char *output = NULL, *rejects = NULL, *inputs = NULL, *arg;
	char *rejects_path = NULL;
	struct ingest *ing = NULL;
	struct outfile out, rej;
	int id, have_rej = 0, partial = 0, have_exact = 0;
	unsigned long exact = STATS_EXACT_OPS;

	memset(&o, 0, sizeof o);
	memset(&out, 0, sizeof out);
	opts_init(&p, "ingest", cli_ingest_opts, argc, argv);
	if (!labels || !maps || !ignore || !sources)
		goto done;
	o.labels = labels;
	o.maps = maps;
	o.ignore = ignore;
	o.threads = cli_default_threads();
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case I_OUTPUT:
			output = arg;
			break;
		case I_FORMAT:
			o.format = arg;
			break;
		case I_LABEL:
			labels[o.nlabels++] = arg;
			break;
		case I_MAP:
			maps[o.nmaps++] = arg;
			break;
		case I_NAME_PATTERN:
			o.name_pattern = arg;
			break;
		case I_DATE:
			o.date = arg;
			break;
		case I_INCLUDE_WARMUP:
			o.include_warmup = 1;
			break;
		case I_KEEP_GOING:
			o.keep_going = 1;
			break;
		case I_REJECTS:
			rejects = arg;
			break;
		case I_NO_FAST_PATH:
			o.no_fast_path = 1;
			break;
		case I_THREADS:
			if (cli_threads(arg, &o.threads) != 0)
				goto done;
			break;
		case I_SPLIT_BYTES: {
			unsigned long n;

			if (cli_count("--split-bytes", arg, LONG_MAX, &n) != 0)
				goto done;
			o.split_bytes = n ? (long long)n : -1;
			break;
		}
		case I_INPUTS:
			inputs = arg;
			break;
		case I_OK_STATUS:
			o.ok_status = arg;
			break;
		case I_IGNORE:
			ignore[o.nignore++] = arg;
			break;
		case I_TZ:
			o.tz = arg;
			break;
		case I_NO_HEADER:
			o.no_header = 1;
			break;
		case I_SOURCES:
			sources[nsources++] = arg;
			break;
		case I_PARTIAL:
			partial = 1;
			break;
		case I_EXACT_OPS:
			if (cli_count("--exact-ops", arg, ULONG_MAX, &exact) != 0)
				goto done;
			have_exact = 1;
			break;
		case I_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("ingest"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands == 0 && nsources == 0) {
		diag(DIAG_USAGE, "ingest: no input (expected one or more log "
				 "files or folders, or --sources FILE)");
		goto done;
	}
	if (rejects && !o.keep_going) {
		diag(DIAG_USAGE, "ingest: --rejects goes with --keep-going");
		goto done;
	}
	if (have_exact && !partial) {
		diag(DIAG_USAGE, "ingest: --exact-ops goes with --partial");
		goto done;
	}
	if (partial) {
		/* both passes (all, steady), so that the shard serves stats
		 * with or without --steady */
		struct stats_options so = { 0.95, 1, o.threads, NULL, exact,
					    STATS_HOLD_OPS };
		struct stats_table *t;

		if (o.keep_going || inputs || rejects) {
			diag(DIAG_USAGE, "ingest: --partial writes a shard "
					 "alone: not with --keep-going or "
					 "--inputs");
			goto done;
		}
		t = run_table((const char *const *)p.operands,
			      (size_t)p.noperands, sources, nsources, &o, &so);
		if (t)
			stats_shard_write(t, output);
		stats_table_free(t);
		goto done;
	}
	o.digests = inputs != NULL;
	ing = ingest_new(&o);
	if (!ing)
		goto done;
	for (int i = 0; i < p.noperands; i++)
		ingest_add_path(ing, p.operands[i]);
	for (size_t i = 0; i < nsources; i++)
		ingest_add_sources(ing, sources[i]);
	if (ingest_prepare(ing) != 0)
		goto done;
	if (outfile_open(&out, output) != 0)
		goto done;
	if (o.keep_going) {
		rejects_path = rejects ? strdup(rejects)
				       : rejects_beside(output && strcmp(output, "-")
								? output
								: NULL);
		if (!rejects_path || outfile_open(&rej, rejects_path) != 0) {
			outfile_abort(&out);
			goto done;
		}
		have_rej = 1;
	}
	if (ingest_write_samples(ing, out.fp, have_rej ? rej.fp : NULL,
				 NULL) != 0) {
		outfile_report_error(&out);
		if (have_rej)
			outfile_report_error(&rej);
		outfile_abort(&out);
		if (have_rej)
			outfile_abort(&rej);
		goto done;
	}
	if (outfile_commit(&out) != 0) {
		if (have_rej)
			outfile_abort(&rej);
		goto done;
	}
	if (inputs) {
		struct outfile in;

		if (outfile_open(&in, inputs) != 0)
			goto done;
		if (ingest_write_inputs(ing, in.fp) != 0) {
			outfile_abort(&in);
			goto done;
		}
		if (outfile_commit(&in) != 0)
			goto done;
	}
	if (have_rej && outfile_commit(&rej) == 0 &&
	    ingest_total_rejected(ing) > 0)
		diag(DIAG_WARNING, "%ld bad row%s rejected; see %s",
		     ingest_total_rejected(ing),
		     ingest_total_rejected(ing) == 1 ? "" : "s",
		     rejects_path);
done:
	ingest_free(ing);
	free(rejects_path);
	free(labels);
	free(maps);
	free(sources);
	free(ignore);
	opts_release(&p);
	return diag_exit_status();
}
