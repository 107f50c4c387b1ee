/*
 * vmnetrank: the command-line entry.  A table of subcommands, each a thin
 * cmd_*() that parses options and calls a stage's API.
 */
#include "ingest/ingest.h"
#include "report/report.h"
#include "run.h"
#include "stats/compare.h"
#include "collect/measure.h"
#include "stats/rank.h"
#include "stats/stats.h"
#include "stats/weights.h"
#include "lib/diag.h"
#include "lib/opts.h"
#include "lib/outdir.h"
#include "lib/outfile.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VMNETRANK_VERSION
#define VMNETRANK_VERSION "0.1.0"
#endif

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
	const struct opt *opts;
};

static const struct cmd *find_cmd(const char *name);
static void print_cmd_help(FILE *fp, const struct cmd *c);

/* ---- ingest ---- */

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
	I_INPUTS,
	I_OK_STATUS,
	I_IGNORE,
	I_TZ,
	I_NO_HEADER,
	I_SOURCES,
	I_HELP
};

static const struct opt ingest_opts_table[] = {
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
			"1: one thread; 2 (default with 2+ CPUs): parse and "
			"write on two (same output)" },
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
	[I_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

static int parse_threads(const char *arg, int *out)
{
	if (strcmp(arg, "1") == 0 || strcmp(arg, "2") == 0) {
		*out = arg[0] - '0';
		return 0;
	}
	diag(DIAG_USAGE, "--threads '%s': expected 1 or 2", arg);
	return -1;
}

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

static int cmd_ingest(int argc, char **argv)
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
	int id, have_rej = 0;

	memset(&o, 0, sizeof o);
	memset(&out, 0, sizeof out);
	opts_init(&p, "ingest", ingest_opts_table, argc, argv);
	if (!labels || !maps || !ignore || !sources)
		goto done;
	o.labels = labels;
	o.maps = maps;
	o.ignore = ignore;
	o.threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
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
			if (parse_threads(arg, &o.threads) != 0)
				goto done;
			break;
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
		case I_HELP:
			print_cmd_help(stdout, find_cmd("ingest"));
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

/* ---- stats ---- */

/* "0.95" -> 0.95; 0 < C < 1.  OPT names the option in the message. */
static int parse_level(const char *cmd, const char *opt, const char *arg,
		       double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno || !(v > 0 && v < 1)) {
		diag(DIAG_USAGE,
		     "%s: %s '%s': expected a number between 0 and 1, e.g. "
		     "%s",
		     cmd, opt, arg, strcmp(opt, "--alpha") ? "0.95" : "0.05");
		return -1;
	}
	*out = v;
	return 0;
}

/* The folder of PATH ("." when it has none). */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	if (!slash)
		memcpy(d, ".", 1);
	else if (n == 0)
		memcpy(d, "/", (n = 1));
	else
		memcpy(d, path, n);
	d[n] = '\0';
	return d;
}

/* An output folder: made, with its missing parents, when it does not
 * exist (as mkdir -p). */
static int output_folder(const char *dir)
{
	struct stat st;
	char *p;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		diag_at(DIAG_ERROR, dir, 0, 0, "not a folder");
		return -1;
	}
	p = strdup(dir);
	if (!p) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (char *q = p + 1;; q++) {
		int end = *q == '\0';

		if (*q != '/' && !end)
			continue;
		*q = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_at(DIAG_ERROR, p, 0, 0, "cannot make the folder: %s",
				strerror(errno));
			free(p);
			return -1;
		}
		if (end)
			break;
		*q = '/';
	}
	free(p);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_at(DIAG_ERROR, dir, 0, 0, "cannot make the folder: %s",
			"a part of the path is not a folder");
		return -1;
	}
	return 0;
}

/* A stage command's outputs, all or nothing (lib/outdir): written into a
 * staging folder of DIR, moved into place when the stage succeeded. */
struct stage_args {
	struct stats_table *t;
	const struct stats_options *so;
	const char *in;
	const struct rank_options *ro;
	const struct report_options *po;
};

static int stats_stage(const struct stage_args *a, const char *to)
{
	return stats_write(a->t, a->so, to);
}

static int rank_stage(const struct stage_args *a, const char *to)
{
	return rank_run(a->in, a->ro, to);
}

static int report_stage(const struct stage_args *a, const char *to)
{
	return report_run(a->in, a->po, to);
}

/* DIR holds both stage files A and B (readable). */
static int has_files(const char *dir, const char *a, const char *b)
{
	char *pa = outfile_path(dir, a), *pb = outfile_path(dir, b);
	int ok = pa && pb && access(pa, R_OK) == 0 && access(pb, R_OK) == 0;

	free(pa);
	free(pb);
	return ok;
}

static int staged(const char *dir, int owns_charts,
		  int (*fn)(const struct stage_args *, const char *),
		  const struct stage_args *a)
{
	struct outdir od;
	int rc = -1;

	long errors = diag_count(DIAG_ERROR);

	if (outdir_begin(&od, dir) != 0)
		return -1;
	/* an error reported is a failed stage, whatever it returned */
	if (fn(a, od.stage) == 0 && diag_count(DIAG_ERROR) == errors &&
	    outdir_commit(&od, owns_charts) == 0)
		rc = 0;
	outdir_end(&od);
	return rc;
}

enum { S_OUTPUT, S_CONFIDENCE, S_STEADY, S_THREADS, S_OK_STATUS, S_SOURCES,
       S_HELP };

static const struct opt stats_opts_table[] = {
	[S_OUTPUT] = { "output", 'o', "DIR",
		       "write reps.csv, summary.csv and hist.csv to DIR "
		       "(default: the folder of SAMPLES.csv)" },
	[S_CONFIDENCE] = { "confidence", 0, "C",
			   "confidence level of every interval (default "
			   "0.95)" },
	[S_STEADY] = { "steady", 0, NULL,
		       "compute on the steady-state operations (after "
		       "MSER-5 warm-up truncation)" },
	[S_THREADS] = { "threads", 0, "N",
			"1: one thread; 2 (default with 2+ CPUs): read a "
			"large file in two halves and compute the groups on "
			"two threads (same output)" },
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

/* Is PATH a samples.csv (its header row names samples.csv's columns), or
 * something for ingest to read?  A path that cannot be read is left to
 * the samples reader, whose message says why. */
static int is_samples(const char *path)
{
	char head[4096];
	FILE *fp = fopen(path, "r");
	size_t n;
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return 0;
	if (!fp)
		return 1;
	n = fread(head, 1, sizeof head - 1, fp);
	fclose(fp);
	head[n] = '\0';
	head[strcspn(head, "\r\n")] = '\0';
	if (n == 0)
		return 1; /* empty: the samples reader says so */
	/* its header names rep and start_us among its fields */
	{
		int rep = 0, start = 0;

		for (char *tok = strtok(head, ","); tok; tok = strtok(NULL, ",")) {
			rep |= strcmp(tok, "rep") == 0;
			start |= strcmp(tok, "start_us") == 0;
		}
		return rep && start;
	}
}

static int cmd_stats(int argc, char **argv)
{
	struct opts_parser p;
	struct stats_options o = { 0.95, 0, 0, NULL };
	int threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	const char *arg, *outdir = NULL;
	char *dir = NULL;
	struct stats_table *t = NULL;
	const char **sources = calloc((size_t)argc + 1, sizeof *sources);
	size_t nsources = 0;
	int id;

	opts_init(&p, "stats", stats_opts_table, argc, argv);
	if (!sources)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case S_OUTPUT:
			outdir = arg;
			break;
		case S_CONFIDENCE:
			if (parse_level("stats", "--confidence", arg, &o.confidence) != 0)
				goto done;
			break;
		case S_STEADY:
			o.steady = 1;
			break;
		case S_THREADS:
			if (parse_threads(arg, &threads) != 0)
				goto done;
			break;
		case S_OK_STATUS:
			o.ok_status = arg;
			break;
		case S_SOURCES:
			sources[nsources++] = arg;
			break;
		case S_HELP:
			print_cmd_help(stdout, find_cmd("stats"));
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
	dir = outdir ? strdup(outdir) : folder_of(p.operands[0]);
	if (!dir || output_folder(dir) != 0)
		goto done;
	o.threads = threads;
	if (p.noperands == 1 && nsources == 0 && is_samples(p.operands[0])) {
		/* one samples.csv: its own fast reader */
		t = stats_table_read(p.operands[0], o.steady, threads,
				     o.ok_status);
	} else {
		/* anything else goes through ingest, as for run */
		struct ingest_options io;

		memset(&io, 0, sizeof io);
		io.ok_status = o.ok_status;
		io.threads = threads;
		t = run_table((const char *const *)p.operands,
			      (size_t)p.noperands, sources, nsources, &io,
			      o.steady);
	}
	if (t)
		staged(dir, 0, stats_stage, &(struct stage_args){ .t = t, .so = &o });
done:
	stats_table_free(t);
	free(sources);
	free(dir);
	opts_release(&p);
	return diag_exit_status();
}

/* ---- describe ---- */

enum { D_COLUMN, D_CONFIDENCE, D_CSV, D_HELP };

static const struct opt describe_opts_table[] = {
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

static int cmd_describe(int argc, char **argv)
{
	struct opts_parser p;
	struct describe_options o = { NULL, 0.95, 0 };
	const char *arg;
	int id;

	opts_init(&p, "describe", describe_opts_table, argc, argv);
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
			if (parse_level("describe", "--confidence", arg, &o.confidence) != 0)
				goto done;
			break;
		case D_CSV:
			o.csv = 1;
			break;
		case D_HELP:
			print_cmd_help(stdout, find_cmd("describe"));
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

/* ---- rank ---- */

enum {
	R_OUTPUT, R_WEIGHTS, R_SHARE, R_SHARES, R_BY, R_ALPHA, R_BOOTSTRAP,
	R_SEED, R_METRIC, R_MAX_FAILED, R_MARGIN, R_DETECT, R_MAX_CONFIGS,
	R_QUIET, R_HELP
};

static const struct opt rank_opts_table[] = {
	[R_OUTPUT] = { "output", 'o', "DIR",
		       "write pairs.csv, ranks.csv, kendall.csv, scores.csv "
		       "and sensitivity.csv to DIR (default: DIR)" },
	[R_WEIGHTS] = { "weights", 0, "FILE",
			"internal shares and workload weights or counts "
			"(README, 'Weights file'); default: equal" },
	[R_SHARE] = { "share", 0, "WORKLOAD=P",
		      "the internal share of WORKLOAD's traffic, 0.2 or 20%, "
		      "over the weights file's (repeatable)" },
	[R_SHARES] = { "shares", 0, "P,P,...",
		       "what if every workload's internal share were P: the "
		       "overall winner by the score test at each, printed "
		       "(e.g. 0,0.25,0.5,0.75,1)" },
	[R_BY] = { "by", 0, "FACTOR,...",
		   "also rank the best configuration of each value of these "
		   "factors (e.g. --by vm: Table 3 of the paper)" },
	[R_ALPHA] = { "alpha", 0, "A",
		      "significance level of the tests (default 0.05)" },
	[R_BOOTSTRAP] = { "bootstrap", 0, "B",
			  "bootstrap resamples for P(rank = 1) (default "
			  "10000; 0 skips it)" },
	[R_SEED] = { "seed", 0, "S",
		     "seed of the bootstrap's gsl_rng_mt19937 (default 1; "
		     "written in ranks.csv)" },
	[R_METRIC] = { "metric", 0, "[WORKLOAD=]NAME",
		       "rank by wall (default), busy, op-mean, op-p50, "
		       "op-p99, throughput or op-rate; WORKLOAD= for one "
		       "workload (repeatable)" },
	[R_MAX_FAILED] = { "max-failed", 0, "SHARE",
			   "share of failed operations a configuration may "
			   "have and still be named fastest (default 0)" },
	[R_MARGIN] = { "margin", 0, "PCT",
		       "differences under PCT% do not count: 'beats' needs "
		       "the ratio interval below 1 - PCT%, 'equal' needs it "
		       "inside the margin (default 1)" },
	[R_DETECT] = { "detect", 0, "PCT",
		       "the difference whose repetitions needed ranks.csv "
		       "gives (default 10)" },
	[R_MAX_CONFIGS] = { "max-configs", 0, "N",
			    "refuse a cell with more than N configurations, "
			    "saying what it would cost (default 1000; 0: no "
			    "limit)" },
	[R_QUIET] = { "quiet", 'q', NULL,
		       "print no verdicts (the files say them)" },
	[R_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

static int parse_count(const char *what, const char *arg, unsigned long max,
		       unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *arg == '-' || *end != '\0' || errno || v > max) {
		diag(DIAG_USAGE, "rank: %s '%s': expected a whole number from 0 "
				 "to %lu",
		     what, arg, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* --max-failed SHARE: 0 <= SHARE <= 1. */
static int parse_share(const char *cmd, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno || !(v >= 0 && v <= 1)) {
		diag(DIAG_USAGE,
		     "%s: --max-failed '%s': expected a share from 0 to 1, "
		     "e.g. 0.01 for 1%%",
		     cmd, arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* --share WORKLOAD=P: the form and the share here (exit 2); the workload
 * is checked against the data by rank. */
static int parse_cli_share(const char *cmd, const char *arg)
{
	const char *eq = strchr(arg, '=');
	double v;
	int rc;

	if (!eq || eq == arg) {
		diag(DIAG_USAGE, "%s: --share '%s': expected WORKLOAD=P, e.g. "
				 "web=0.2 or web=20%%",
		     cmd, arg);
		return -1;
	}
	if ((rc = weights_share(eq + 1, &v)) != 0) {
		diag(DIAG_USAGE, "%s: --share '%s': %s", cmd, arg,
		     weights_share_why(rc));
		return -1;
	}
	return 0;
}

/* --shares P,P,...: shares (fractions or percentages), at most 101, into
 * a malloc'd *OUT. */
static int parse_whatif(const char *cmd, const char *arg, double **out,
			size_t *n)
{
	const char *s = arg;

	free(*out);
	*out = malloc(101 * sizeof **out);
	*n = 0;
	if (!*out) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (;;) {
		size_t len = strcspn(s, ",");
		char item[64];
		int rc = -1;

		if (len > 0 && len < sizeof item) {
			memcpy(item, s, len);
			item[len] = '\0';
			rc = *n < 101 ? weights_share(item, &(*out)[*n]) : -3;
		}
		if (rc != 0) {
			diag(DIAG_USAGE, "%s: --shares '%s': item %zu '%.*s': %s",
			     cmd, arg, *n + 1, (int)len, s,
			     rc == -3 ? "more than 101 shares"
				      : weights_share_why(rc == -2 ? -2 : -1));
			return -1;
		}
		++*n;
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

/* --margin PCT (0 <= PCT < 50) and --detect PCT (0 < PCT < 100): a
 * percentage, "1" or "1%", into a fraction. */
static int parse_pct(const char *cmd, const char *opt, const char *arg,
		     double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (*arg == '\0' || *end != '\0' || errno || !(v >= lo && v < hi) ||
	    (lo == 0 && strcmp(opt, "--detect") == 0 && v == 0)) {
		diag(DIAG_USAGE,
		     "%s: %s '%s': expected a percentage from %g to under %g, "
		     "e.g. %s",
		     cmd, opt, arg, lo, hi,
		     strcmp(opt, "--margin") ? "10 for 10%" : "1 for 1%");
		return -1;
	}
	*out = v / 100;
	return 0;
}

static int cmd_rank(int argc, char **argv)
{
	struct opts_parser p;
	struct rank_options o;
	const char **metric = calloc((size_t)argc + 1, sizeof *metric);
	const char **shares = calloc((size_t)argc + 1, sizeof *shares);
	const char *arg, *outdir = NULL;
	double *whatif = NULL;
	unsigned long v;
	int id;

	memset(&o, 0, sizeof o);
	o.shares = shares;
	o.alpha = 0.05;
	o.margin = 0.01;
	o.detect = 0.10;
	o.bootstrap = 10000;
	o.max_configs = 1000;
	o.seed = 1;
	o.metrics = metric;
	o.print_answer = 1;
	opts_init(&p, "rank", rank_opts_table, argc, argv);
	if (!metric || !shares)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case R_OUTPUT:
			outdir = arg;
			break;
		case R_BY:
			o.by = arg;
			break;
		case R_WEIGHTS:
			o.weights = arg;
			break;
		case R_SHARE:
			if (parse_cli_share("rank", arg) != 0)
				goto done;
			shares[o.nshares++] = arg;
			break;
		case R_SHARES:
			if (parse_whatif("rank", arg, &whatif, &o.nwhatif) != 0)
				goto done;
			o.whatif = whatif;
			break;
		case R_ALPHA:
			if (parse_level("rank", "--alpha", arg, &o.alpha) != 0)
				goto done;
			break;
		case R_BOOTSTRAP:
			if (parse_count("--bootstrap", arg, 10000000, &v) != 0)
				goto done;
			o.bootstrap = v;
			break;
		case R_SEED:
			if (parse_count("--seed", arg, 4294967295ul, &o.seed) != 0)
				goto done;
			break;
		case R_METRIC:
			metric[o.nmetrics++] = arg;
			break;
		case R_MAX_FAILED:
			if (parse_share("rank", arg, &o.max_failed) != 0)
				goto done;
			break;
		case R_MARGIN:
			if (parse_pct("rank", "--margin", arg, 0, 50, &o.margin) != 0)
				goto done;
			break;
		case R_DETECT:
			if (parse_pct("rank", "--detect", arg, 0, 100, &o.detect) != 0)
				goto done;
			break;
		case R_MAX_CONFIGS:
			if (parse_count("--max-configs", arg, 100000000, &v) != 0)
				goto done;
			o.max_configs = v;
			break;
		case R_QUIET:
			o.print_answer = 0;
			break;
		case R_HELP:
			print_cmd_help(stdout, find_cmd("rank"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands != 1) {
		diag(DIAG_USAGE, "rank: expected one DIR (where 'vmnetrank "
				 "stats' wrote reps.csv and summary.csv)");
		goto done;
	}
	if (outdir && output_folder(outdir) != 0)
		goto done;
	if (!has_files(p.operands[0], "reps.csv", "summary.csv"))
		/* it fails reading them, before writing: no lock file is
		 * left in a folder that holds no stage files */
		rank_run(p.operands[0], &o, outdir ? outdir : p.operands[0]);
	else
		staged(outdir ? outdir : p.operands[0], 0, rank_stage,
		       &(struct stage_args){ .in = p.operands[0], .ro = &o });
done:
	free(metric);
	free(shares);
	free(whatif);
	opts_release(&p);
	return diag_exit_status();
}

/* ---- report ---- */

enum {
	P_OUTPUT, P_TEMPLATE, P_TITLE, P_NOTE, P_DUMP, P_TIMESTAMP, P_METRIC,
	P_HELP
};

static const struct opt report_opts_table[] = {
	[P_OUTPUT] = { "output", 'o', "DIR",
		       "write report.xhtml and report.css to DIR (default: "
		       "DIR)" },
	[P_TEMPLATE] = { "template", 0, "FILE",
			 "an XHTML template with the placeholder ids of "
			 "templates/report.xhtml (its report.css beside it)" },
	[P_TITLE] = { "title", 0, "TEXT", "the report's title" },
	[P_NOTE] = { "note", 0, "TEXT",
		     "a paragraph about the data, shown under \"About the data\", after the answer "
		     "(repeatable)" },
	[P_DUMP] = { "dump-layout", 0, NULL,
		     "also print each chart's layout (plot rectangle, axis "
		     "range, ticks, label boxes) as text" },
	[P_TIMESTAMP] = { "timestamp", 0, NULL,
			  "say in the report when it was written (off: the "
			  "same inputs give the same bytes)" },
	[P_METRIC] = { "metric", 0, "[WORKLOAD=]NAME",
		       "check that rank ranked by this metric (ranks.csv "
		       "says what each workload was ranked by; repeatable)" },
	[P_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

/* The command line, for the report's provenance. */
/* The command as a shell would take it back: each word that holds more
 * than letters, digits and _./=:,@%+- in single quotes (a quote inside as
 * '\''), so the report's command can be pasted. */
static char *command_line(int argc, char **argv)
{
	size_t n = 16;
	char *s, *o;

	for (int i = 0; i < argc; i++)
		n += 4 * strlen(argv[i]) + 4;
	s = malloc(n);
	if (!s)
		return NULL;
	o = s + sprintf(s, "vmnetrank");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int plain = *a != '\0' &&
			    a[strspn(a, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				       "_./=:,@%+-")] == '\0';

		*o++ = ' ';
		if (plain) {
			o += sprintf(o, "%s", a);
			continue;
		}
		*o++ = '\'';
		for (; *a; a++)
			if (*a == '\'')
				o += sprintf(o, "'\\''");
			else
				*o++ = *a;
		*o++ = '\'';
		*o = '\0';
	}
	return s;
}

static int cmd_report(int argc, char **argv)
{
	struct opts_parser p;
	struct report_options o;
	const char *arg, *outdir = NULL;
	char *cmdline = command_line(argc, argv);
	const char **notes = calloc((size_t)argc + 1, sizeof *notes);
	const char **metric = calloc((size_t)argc + 1, sizeof *metric);
	int id;

	memset(&o, 0, sizeof o);
	o.command = cmdline;
	o.notes = notes;
	o.metrics = metric;
	opts_init(&p, "report", report_opts_table, argc, argv);
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case P_OUTPUT:
			outdir = arg;
			break;
		case P_TEMPLATE:
			o.template_path = arg;
			break;
		case P_TITLE:
			o.title = arg;
			break;
		case P_NOTE:
			if (notes)
				notes[o.nnotes++] = arg;
			break;
		case P_DUMP:
			o.dump_layout = 1;
			break;
		case P_TIMESTAMP:
			o.timestamp = 1;
			break;
		case P_METRIC:
			if (metric)
				metric[o.nmetrics++] = arg;
			break;
		case P_HELP:
			print_cmd_help(stdout, find_cmd("report"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands != 1) {
		diag(DIAG_USAGE, "report: expected one DIR (where stats and "
				 "rank wrote their files)");
		goto done;
	}
	if (outdir && output_folder(outdir) != 0)
		goto done;
	if (!has_files(p.operands[0], "summary.csv", "ranks.csv"))
		report_run(p.operands[0], &o, outdir ? outdir : p.operands[0]);
	else
		staged(outdir ? outdir : p.operands[0], 1, report_stage,
		       &(struct stage_args){ .in = p.operands[0], .po = &o });
done:
	free(cmdline);
	free(notes);
	free(metric);
	opts_release(&p);
	return diag_exit_status();
}

/* ---- run ---- */

enum {
	U_OUTPUT, U_FORMAT, U_LABEL, U_MAP, U_NAME_PATTERN, U_DATE, U_OK_STATUS,
	U_IGNORE, U_TZ, U_NO_HEADER, U_SOURCES,
	U_KEEP_GOING, U_INCLUDE_WARMUP, U_KEEP_SAMPLES, U_CONFIDENCE, U_STEADY, U_WEIGHTS,
	U_SHARE, U_SHARES, U_BY,
	U_ALPHA, U_BOOTSTRAP, U_SEED, U_METRIC, U_MAX_FAILED, U_MARGIN, U_DETECT, U_MAX_CONFIGS, U_TEMPLATE,
	U_TITLE, U_NOTE, U_THREADS, U_QUIET, U_NO_KEEP_PREVIOUS, U_BASELINE,
	U_MATCH_IGNORE, U_HELP
};

static const struct opt run_opts_table[] = {
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
	[U_MARGIN] = { "margin", 0, "PCT", "as for rank" },
	[U_DETECT] = { "detect", 0, "PCT", "as for rank" },
	[U_TEMPLATE] = { "template", 0, "FILE", "as for report" },
	[U_TITLE] = { "title", 0, "TEXT", "as for report" },
	[U_NOTE] = { "note", 0, "TEXT", "as for report (repeatable)" },
	[U_THREADS] = { "threads", 0, "N", "1 or 2, as for ingest and stats" },
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

static int cmd_run(int argc, char **argv)
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
	char *cmdline = command_line(argc, argv);
	unsigned long v;
	int id, threads = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;

	memset(&o, 0, sizeof o);
	o.ingest.labels = labels;
	o.ingest.maps = maps;
	o.ingest.ignore = ignore;
	o.stats.confidence = 0.95;
	o.rank.alpha = 0.05;
	o.rank.margin = 0.01;
	o.rank.detect = 0.10;
	o.rank.bootstrap = 10000;
	o.rank.max_configs = 1000;
	o.rank.seed = 1;
	o.rank.metrics = metric;
	o.rank.print_answer = 1;
	o.report.command = cmdline;
	o.report.notes = notes;
	opts_init(&p, "run", run_opts_table, argc, argv);
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
		case U_WEIGHTS: o.rank.weights = arg; break;
		case U_SHARE:
			if (parse_cli_share("run", arg) != 0)
				goto done;
			shares[o.rank.nshares++] = arg;
			break;
		case U_SHARES:
			if (parse_whatif("run", arg, &whatif, &o.rank.nwhatif) != 0)
				goto done;
			o.rank.whatif = whatif;
			break;
		case U_BY: o.rank.by = arg; break;
		case U_TEMPLATE: o.report.template_path = arg; break;
		case U_TITLE: o.report.title = arg; break;
		case U_NOTE: notes[o.report.nnotes++] = arg; break;
		case U_CONFIDENCE:
			if (parse_level("run", "--confidence", arg,
					&o.stats.confidence) != 0)
				goto done;
			break;
		case U_ALPHA:
			if (parse_level("run", "--alpha", arg, &o.rank.alpha) != 0)
				goto done;
			break;
		case U_BOOTSTRAP:
			if (parse_count("--bootstrap", arg, 10000000, &v) != 0)
				goto done;
			o.rank.bootstrap = v;
			break;
		case U_SEED:
			if (parse_count("--seed", arg, 4294967295ul, &o.rank.seed) != 0)
				goto done;
			break;
		case U_METRIC:
			metric[o.rank.nmetrics++] = arg;
			break;
		case U_MAX_FAILED:
			if (parse_share("run", arg, &o.rank.max_failed) != 0)
				goto done;
			break;
		case U_MARGIN:
			if (parse_pct("run", "--margin", arg, 0, 50, &o.rank.margin) != 0)
				goto done;
			break;
		case U_MAX_CONFIGS:
			if (parse_count("--max-configs", arg, 100000000, &v) != 0)
				goto done;
			o.rank.max_configs = v;
			break;
		case U_DETECT:
			if (parse_pct("run", "--detect", arg, 0, 100, &o.rank.detect) != 0)
				goto done;
			break;
		case U_THREADS:
			if (parse_threads(arg, &threads) != 0)
				goto done;
			break;
		case U_HELP:
			print_cmd_help(stdout, find_cmd("run"));
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
	if (output_folder(outdir) != 0)
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

/* ---- compare ---- */

enum { C_MATCH_IGNORE, C_METRIC, C_ALPHA, C_MARGIN, C_MAX_FAILED,
       C_FAIL_ON_SLOWER, C_CSV, C_HELP };

static const struct opt compare_opts_table[] = {
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
		struct stats_options so = { 0.95, 0, 0, NULL };
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
		t = run_table(paths, 1, NULL, 0, &io, 0);
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

static int cmd_compare(int argc, char **argv)
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
	opts_init(&p, "compare", compare_opts_table, argc, argv);
	if (!ignore || !metric)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case C_MATCH_IGNORE: ignore[o.nignore++] = arg; break;
		case C_METRIC: metric[o.nmetrics++] = arg; break;
		case C_CSV: o.csv = 1; break;
		case C_ALPHA:
			if (parse_level("compare", "--alpha", arg, &o.alpha) != 0)
				goto done;
			break;
		case C_MARGIN:
			if (parse_pct("compare", "--margin", arg, 0, 50, &o.margin) != 0)
				goto done;
			break;
		case C_MAX_FAILED:
			if (parse_share("compare", arg, &o.max_failed) != 0)
				goto done;
			break;
		case C_FAIL_ON_SLOWER:
			if (parse_pct("compare", "--fail-on-slower", arg, 0, 1000,
				      &o.fail_on_slower) != 0)
				goto done;
			break;
		case C_HELP:
			print_cmd_help(stdout, find_cmd("compare"));
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

/* ---- measure ---- */

enum { M_DRY_RUN, M_FRESH, M_RUN, M_SET, M_QUIET, M_HELP };

static const struct opt measure_opts_table[] = {
	[M_DRY_RUN] = { "dry-run", 'n', NULL,
			"print the schedule and its estimate; run nothing" },
	[M_FRESH] = { "fresh", 0, NULL,
		      "remove the plan's logs and start over (default: "
		      "skip the trials done, resume)" },
	[M_RUN] = { "run", 0, NULL,
		    "when every trial is done, vmnetrank run on the logs "
		    "(into report/ beside the plan)" },
	[M_SET] = { "set", 0, "NAME=VALUE",
		    "override the plan's [vars] NAME, rounds or seed, or "
		    "narrow a factor (FACTOR.levels=A,B); folded into the "
		    "plan's SHA-256; repeatable" },
	[M_QUIET] = { "quiet", 'q', NULL, "no progress, no summary" },
	[M_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

static int cmd_measure(int argc, char **argv)
{
	struct opts_parser p;
	struct measure_options o;
	const char *arg;
	int id, rc = 2;

	memset(&o, 0, sizeof o);
	o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
	opts_init(&p, "measure", measure_opts_table, argc, argv);
	if (!o.sets)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case M_SET: o.sets[o.nsets++] = (char *)arg; break;
		case M_DRY_RUN: o.dry_run = 1; break;
		case M_FRESH: o.fresh = 1; break;
		case M_RUN: o.report = 1; break;
		case M_QUIET: o.quiet = 1; break;
		case M_HELP:
			print_cmd_help(stdout, find_cmd("measure"));
			rc = 0;
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands != 1) {
		diag(DIAG_USAGE, "measure: expected one PLAN file");
		goto done;
	}
	rc = measure_run(p.operands[0], &o);
	rc = rc < 0 ? (diag_exit_status() == 2 ? 2 : 1) : rc;
done:
	free(o.sets);
	opts_release(&p);
	return rc == 0 && diag_exit_status() ? diag_exit_status() : rc;
}

/* ---- help ---- */

static int cmd_help(int argc, char **argv);

static const struct opt no_opts[] = { { 0 } };

static const struct cmd commands[] = {
	{ "run", cmd_run,
	  "vmnetrank run [-o DIR] [--weights FILE] [--by FACTOR,...] "
	  "[ingest, stats, rank and report options] PATH...",
	  "every stage in one process, from raw logs to report.xhtml",
	  run_opts_table },
	{ "ingest", cmd_ingest,
	  "vmnetrank ingest [-o FILE] [--format F] [--label K=V]... "
	  "[--map FIELD=COLUMN[:UNIT]]... [--keep-going] PATH...",
	  "parse raw timing logs (files or folders) into samples.csv",
	  ingest_opts_table },
	{ "stats", cmd_stats,
	  "vmnetrank stats [-o DIR] [--confidence C] [--steady] SAMPLES.csv",
	  "repetition and group statistics: reps.csv, summary.csv, hist.csv",
	  stats_opts_table },
	{ "rank", cmd_rank,
	  "vmnetrank rank [-o DIR] [--weights FILE] [--by FACTOR,...] "
	  "[--alpha A] [--margin PCT] [--detect PCT] [--bootstrap B] [--seed S] DIR",
	  "tied rankings per cell, weighted scores and their sensitivity: "
	  "pairs.csv, ranks.csv, kendall.csv, scores.csv, sensitivity.csv",
	  rank_opts_table },
	{ "report", cmd_report,
	  "vmnetrank report [-o DIR] [--template FILE] [--title TEXT] DIR",
	  "the XHTML report of the stage outputs in DIR", report_opts_table },
	{ "measure", cmd_measure,
	  "vmnetrank measure [--dry-run] [--fresh] [--run] "
	  "[--set NAME=VALUE]... PLAN",
	  "run a plan's experiment matrix in randomized interleaved order "
	  "(RMIT), resumably; its logs ready for run",
	  measure_opts_table },
	{ "compare", cmd_compare,
	  "vmnetrank compare [--match-ignore KEY]... [--margin PCT] "
	  "[--fail-on-slower PCT] [--csv] BASE NEW",
	  "two runs group by group: faster, slower, same or inconclusive, "
	  "with the ratio and its interval (exit 3: proven slower)",
	  compare_opts_table },
	{ "describe", cmd_describe,
	  "vmnetrank describe [--column N|NAME] [--confidence C] [--csv] "
	  "[FILE...]",
	  "statistics of any lists of numbers, each compared with the first",
	  describe_opts_table },
	{ "help", cmd_help, "vmnetrank help [COMMAND]",
	  "show help for vmnetrank or for one command", no_opts },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void print_usage(FILE *fp)
{
	fprintf(fp,
		"usage: vmnetrank COMMAND [OPTIONS]\n"
		"       vmnetrank --help | --version | help COMMAND\n\n"
		"Measure and explain VM network performance, internal "
		"(host <-> guest)\nand external (LAN <-> guest).\n\n"
		"commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name,
			commands[i].summary);
}

static void print_cmd_help(FILE *fp, const struct cmd *c)
{
	fprintf(fp, "usage: %s\n\n%s\n", c->usage, c->summary);
	if (c->opts[0].name) {
		fputs("\noptions:\n", fp);
		opts_print(fp, c->opts);
	}
}

static const char *closest_command(const char *word)
{
	const char *names[NCOMMANDS + 1];

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	names[NCOMMANDS] = NULL;
	return opts_closest(word, names);
}

static void unknown_command(const char *name)
{
	const char *best = closest_command(name);

	if (best)
		diag(DIAG_USAGE, "unknown command '%s'; did you mean '%s'?",
		     name, best);
	else
		diag(DIAG_USAGE,
		     "unknown command '%s' (see 'vmnetrank --help')", name);
}

static int cmd_help(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		print_usage(stdout);
		return 0;
	}
	c = find_cmd(argv[1]);
	if (!c) {
		unknown_command(argv[1]);
		return 2;
	}
	print_cmd_help(stdout, c);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	int rc;

	/* GSL's default handler aborts the process (an overflow deep in a
	 * distribution function on extreme data); with it off the function
	 * returns NaN, which every test here treats as "no verdict" */
	gsl_set_error_handler_off();
	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_usage(stdout);
		rc = 0;
	} else if (strcmp(argv[1], "--version") == 0) {
		printf("vmnetrank %s\n", VMNETRANK_VERSION);
		rc = 0;
	} else if (argv[1][0] == '-') {
		const char *names[] = { "help", "version", NULL };
		const char *best = opts_closest(argv[1] + 1 + (argv[1][1] == '-'),
						names);

		if (best)
			diag(DIAG_USAGE,
			     "unknown option '%s'; did you mean '--%s'?",
			     argv[1], best);
		else
			diag(DIAG_USAGE,
			     "unknown option '%s' (see 'vmnetrank --help')",
			     argv[1]);
		rc = 2;
	} else if (!(c = find_cmd(argv[1]))) {
		unknown_command(argv[1]);
		rc = 2;
	} else {
		rc = c->fn(argc - 1, argv + 1);
	}
	diag_finish();
	if (outfile_close_stdout() != 0 && rc == 0)
		rc = 1;
	return rc;
}
