/*
 * vmnetrank rank: its options (weights, shares, tests), and the call
 * to the rank stage.
 */
#include "cli.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "../stats/rank.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	R_OUTPUT, R_WEIGHTS, R_SHARE, R_SHARES, R_BY, R_ALPHA, R_BOOTSTRAP,
	R_SEED, R_METRIC, R_MAX_FAILED, R_MARGIN, R_DETECT, R_MAX_CONFIGS,
	R_PAIRS_LIMIT, R_THREADS, R_QUIET, R_HELP
};

const struct opt cli_rank_opts[] = {
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
	[R_PAIRS_LIMIT] = { "pairs-limit", 0, "N",
			    "past N eligible configurations in a ranking, "
			    "pairs.csv keeps only the pairs the report reads "
			    "(default 64; 0: every pair)" },
	[R_THREADS] = { "threads", 0, "N",
			"rank the cells on 1 or 2 threads (any N above 1: "
			"two; default: the CPUs; the same output)" },
	[R_QUIET] = { "quiet", 'q', NULL,
		       "print no verdicts (the files say them)" },
	[R_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

int cmd_rank(int argc, char **argv)
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
	o.pairs_limit = RANK_PAIRS_LIMIT;
	o.seed = 1;
	o.metrics = metric;
	o.print_answer = 1;
	o.threads = cli_default_threads();
	opts_init(&p, "rank", cli_rank_opts, argc, argv);
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
			if (cli_share_option("rank", arg) != 0)
				goto done;
			shares[o.nshares++] = arg;
			break;
		case R_SHARES:
			if (cli_whatif("rank", arg, &whatif, &o.nwhatif) != 0)
				goto done;
			o.whatif = whatif;
			break;
		case R_ALPHA:
			if (cli_level("rank", "--alpha", arg, &o.alpha) != 0)
				goto done;
			break;
		case R_BOOTSTRAP:
			if (cli_count("--bootstrap", arg, 10000000, &v) != 0)
				goto done;
			o.bootstrap = v;
			break;
		case R_SEED:
			if (cli_count("--seed", arg, 4294967295ul, &o.seed) != 0)
				goto done;
			break;
		case R_METRIC:
			metric[o.nmetrics++] = arg;
			break;
		case R_MAX_FAILED:
			if (cli_share("rank", arg, &o.max_failed) != 0)
				goto done;
			break;
		case R_MARGIN:
			if (cli_pct("rank", "--margin", arg, 0, 50, &o.margin) != 0)
				goto done;
			break;
		case R_DETECT:
			if (cli_pct("rank", "--detect", arg, 0, 100, &o.detect) != 0)
				goto done;
			break;
		case R_MAX_CONFIGS:
			if (cli_count("--max-configs", arg, 100000000, &v) != 0)
				goto done;
			o.max_configs = v;
			break;
		case R_PAIRS_LIMIT:
			if (cli_count("--pairs-limit", arg, 100000000, &v) != 0)
				goto done;
			o.pairs_limit = v;
			break;
		case R_THREADS:
			if (cli_threads(arg, &o.threads) != 0)
				goto done;
			break;
		case R_QUIET:
			o.print_answer = 0;
			break;
		case R_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("rank"));
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
	if (outdir && cli_output_folder(outdir) != 0)
		goto done;
	if (!cli_has_files(p.operands[0], "reps.csv", "summary.csv"))
		/* it fails reading them, before writing: no lock file is
		 * left in a folder that holds no stage files */
		rank_run(p.operands[0], &o, outdir ? outdir : p.operands[0]);
	else
		cli_staged(outdir ? outdir : p.operands[0], 0, cli_rank_stage,
			   &(struct stage_args){ .in = p.operands[0], .ro = &o });
done:
	free(metric);
	free(shares);
	free(whatif);
	opts_release(&p);
	return diag_exit_status();
}
