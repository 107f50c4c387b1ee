/*
 * opts: table-driven command-line options with "did you mean" help.
 *
 * A command describes its options in a table ending with a zeroed entry:
 *
 *   static const struct opt opts[] = {
 *       { "output", 'o', "FILE", "write to FILE instead of stdout" },
 *       { "keep-going", 0, NULL, "write good rows, reject bad ones" },
 *       { 0 }
 *   };
 *
 * opts_next() returns the index of the option it found (its argument in
 * *arg), OPTS_END when the options are done, or OPTS_ERROR after printing
 * a usage diagnostic that names the closest valid option.  Operands (and
 * everything after "--") are collected in p->operands in order.
 */
#ifndef VMNETRANK_OPTS_H
#define VMNETRANK_OPTS_H

#include <stdio.h>

struct opt {
	const char *name;    /* long name, without "--" */
	int short_name;      /* 0 when there is none */
	const char *argname; /* NULL for a flag */
	const char *help;
};

enum { OPTS_END = -1, OPTS_ERROR = -2 };

struct opts_parser {
	const char *command;
	const struct opt *table;
	int argc;
	char **argv;
	int next;         /* next argv index */
	const char *cluster; /* rest of a "-abc" cluster */
	int only_operands;
	int stop_at_operand; /* set by the caller: options end at the first
	                        operand (for "exec CMD -x ...") */
	char **operands;
	int noperands;
};

/* argv[0] is the command name; parsing starts at argv[1]. */
void opts_init(struct opts_parser *p, const char *command,
	       const struct opt *table, int argc, char **argv);
int opts_next(struct opts_parser *p, const char **arg);
void opts_release(struct opts_parser *p);

/* Print the table as aligned help lines. */
void opts_print(FILE *fp, const struct opt *table);

/* The closest of NAMES (NULL-terminated) to WORD, or NULL when none is
 * close enough to suggest. */
const char *opts_closest(const char *word, const char *const *names);

/* Edit distance, for suggestions. */
int opts_distance(const char *a, const char *b);

#endif
