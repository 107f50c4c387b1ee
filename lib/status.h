/*
 * status: which statuses a runner writes mean that an operation succeeded.
 *
 * The default rule (README, "Status of an operation"): an empty status,
 * `ok`, `true` and `success` (any case), the integer 0 (an exit status) and
 * the integers 100 to 399 (HTTP statuses) are successes; anything else is a
 * failure, and its text is kept to say what failed.
 *
 * A list (`--ok-status 200-299,304,done`) replaces the rule, except that an
 * empty status and `ok` (the native format's own word) are always
 * successes.  Items: an integer N, a range N-M, a class Nxx (2xx = 200 to
 * 299), or a word, compared ignoring case.
 *
 * Libc only; ingest judges raw logs with it and stats judges a samples.csv
 * written by another tool.
 */
#ifndef VMNETRANK_STATUS_H
#define VMNETRANK_STATUS_H

#include <stddef.h>

struct status_item {
	long lo, hi;      /* integer range; lo > hi when a word */
	const char *word; /* into the rule's copy of the list */
	size_t wlen;
};

struct status_rule {
	struct status_item *items; /* NULL: the default rule */
	size_t n;
	char *text;                /* the list as given */
	int only_ok;               /* only empty and ok (normalised input) */
};

/* The default rule (no allocation). */
void status_rule_init(struct status_rule *r);

/* Only an empty status and "ok" succeed: the rule for a samples.csv,
 * whose statuses ingest has normalised already. */
void status_rule_only_ok(struct status_rule *r);

/* Replace the rule by LIST; 0, or -1 with *why (R is left as it was). */
int status_rule_parse(struct status_rule *r, const char *list,
		      const char **why);
void status_rule_release(struct status_rule *r);

/* 1 when status S (N bytes) is a success under R, else 0. */
int status_ok(const struct status_rule *r, const char *s, size_t n);

/* S as a non-negative decimal integer (at most 9 digits): 1 and *v, else 0. */
int status_integer(const char *s, size_t n, long *v);

#endif
