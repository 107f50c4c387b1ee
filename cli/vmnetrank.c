/*
 * vmnetrank: the command-line entry.  The table of subcommands (each a
 * thin cmd_*() in cli/cmd_*.c that parses options and calls a stage's
 * API), help, and main().
 */
#include "cli.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "../lib/outfile.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#ifndef VMNETRANK_VERSION
#define VMNETRANK_VERSION "0.1.0"
#endif

/* ---- help ---- */

static int cmd_help(int argc, char **argv);

static const struct opt no_opts[] = { { 0 } };

static const struct cmd commands[] = {
	{ "run", cmd_run,
	  "vmnetrank run [-o DIR] [--weights FILE] [--by FACTOR,...] "
	  "[ingest, stats, rank and report options] PATH...",
	  "every stage in one process, from raw logs to report.xhtml",
	  cli_run_opts },
	{ "ingest", cmd_ingest,
	  "vmnetrank ingest [-o FILE] [--format F] [--label K=V]... "
	  "[--map FIELD=COLUMN[:UNIT]]... [--keep-going] PATH...",
	  "parse raw timing logs (files or folders) into samples.csv",
	  cli_ingest_opts },
	{ "stats", cmd_stats,
	  "vmnetrank stats [-o DIR] [--confidence C] [--steady] SAMPLES.csv",
	  "repetition and group statistics: reps.csv, summary.csv, hist.csv",
	  cli_stats_opts },
	{ "rank", cmd_rank,
	  "vmnetrank rank [-o DIR] [--weights FILE] [--by FACTOR,...] "
	  "[--alpha A] [--margin PCT] [--detect PCT] [--bootstrap B] [--seed S] DIR",
	  "tied rankings per cell, weighted scores and their sensitivity: "
	  "pairs.csv, ranks.csv, kendall.csv, scores.csv, sensitivity.csv",
	  cli_rank_opts },
	{ "report", cmd_report,
	  "vmnetrank report [-o DIR] [--template FILE] [--title TEXT] DIR",
	  "the XHTML report of the stage outputs in DIR", cli_report_opts },
	{ "measure", cmd_measure,
	  "vmnetrank measure [--dry-run] [--fresh] [--run] "
	  "[--set NAME=VALUE]... PLAN",
	  "run a plan's experiment matrix in randomized interleaved order "
	  "(RMIT), resumably; its logs ready for run",
	  cli_measure_opts },
	{ "compare", cmd_compare,
	  "vmnetrank compare [--match-ignore KEY]... [--margin PCT] "
	  "[--fail-on-slower PCT] [--csv] BASE NEW",
	  "two runs group by group: faster, slower, same or inconclusive, "
	  "with the ratio and its interval (exit 3: proven slower)",
	  cli_compare_opts },
	{ "describe", cmd_describe,
	  "vmnetrank describe [--column N|NAME] [--confidence C] [--csv] "
	  "[FILE...]",
	  "statistics of any lists of numbers, each compared with the first",
	  cli_describe_opts },
	{ "help", cmd_help, "vmnetrank help [COMMAND]",
	  "show help for vmnetrank or for one command", no_opts },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct cmd *cli_find_cmd(const char *name)
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

void cli_print_cmd_help(FILE *fp, const struct cmd *c)
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
	c = cli_find_cmd(argv[1]);
	if (!c) {
		unknown_command(argv[1]);
		return 2;
	}
	cli_print_cmd_help(stdout, c);
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
	} else if (!(c = cli_find_cmd(argv[1]))) {
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
