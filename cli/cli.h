/*
 * cli: the vmnetrank command.  vmnetrank.c holds the command table, help
 * and main(); each cmd_*.c one command's options and the call to its
 * stage's API; common.c what the commands share; run.c the road through
 * every stage that `vmnetrank run` takes.
 */
#ifndef VMNETRANK_CLI_H
#define VMNETRANK_CLI_H

#include "../lib/opts.h"

#include <stdio.h>

struct stats_table;
struct stats_options;
struct rank_options;
struct report_options;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	const char *summary;
	const struct opt *opts;
};

const struct cmd *cli_find_cmd(const char *name);
void cli_print_cmd_help(FILE *fp, const struct cmd *c);

/* The commands and their option tables (cmd_*.c). */
int cmd_ingest(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_measure(int argc, char **argv);
extern const struct opt cli_ingest_opts[], cli_stats_opts[],
	cli_describe_opts[], cli_rank_opts[], cli_report_opts[],
	cli_run_opts[], cli_compare_opts[], cli_measure_opts[];

/* Option values (common.c); each says what was expected (exit 2) and
 * returns -1 when ARG is not one. */
/* --threads N: 1 to CLI_THREADS_MAX.  ingest parses on N workers; stats
 * and rank use two threads at most (any N > 1 means two). */
#define CLI_THREADS_MAX 64
int cli_threads(const char *arg, int *out);
/* The default: the CPUs online (at most CLI_THREADS_MAX). */
int cli_default_threads(void);
/* "0.95" -> 0.95; 0 < C < 1.  OPT names the option in the message. */
int cli_level(const char *cmd, const char *opt, const char *arg,
	      double *out);
/* a count 0..MAX (WHAT names it in the message) */
int cli_count(const char *what, const char *arg, unsigned long max,
	      unsigned long *out);
/* --max-failed SHARE: 0 <= SHARE <= 1. */
int cli_share(const char *cmd, const char *arg, double *out);
/* --share WORKLOAD=P: the form and the share (the workload is checked
 * against the data by rank). */
int cli_share_option(const char *cmd, const char *arg);
/* --shares P,P,...: at most 101 shares into a malloc'd *OUT. */
int cli_whatif(const char *cmd, const char *arg, double **out, size_t *n);
/* a percentage, "1" or "1%", LO <= PCT < HI, into a fraction */
int cli_pct(const char *cmd, const char *opt, const char *arg, double lo,
	    double hi, double *out);

/* The folder of PATH ("." when it has none), malloc'd. */
char *cli_folder_of(const char *path);
/* An output folder, made with its missing parents (as mkdir -p). */
int cli_output_folder(const char *dir);
/* DIR holds both stage files A and B (readable). */
int cli_has_files(const char *dir, const char *a, const char *b);

/* A stage command's outputs, all or nothing (lib/outdir): written into a
 * staging folder of DIR, moved into place when the stage succeeded. */
struct stage_args {
	struct stats_table *t;
	const struct stats_options *so;
	const char *in;
	const struct rank_options *ro;
	const struct report_options *po;
};
int cli_staged(const char *dir, int owns_charts,
	       int (*fn)(const struct stage_args *, const char *),
	       const struct stage_args *a);
int cli_stats_stage(const struct stage_args *a, const char *to);
int cli_rank_stage(const struct stage_args *a, const char *to);
int cli_report_stage(const struct stage_args *a, const char *to);

/* The command as a shell would take it back (words quoted as needed), for
 * the report's provenance; malloc'd. */
char *cli_command_line(int argc, char **argv);

#endif
