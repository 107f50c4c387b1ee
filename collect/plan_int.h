/* What the plan's files share (plan_parse.c: the INI file through inih;
 * plan.c: checks, --set, the schedule): the state of one parse. */
#ifndef VMNETRANK_PLAN_INT_H
#define VMNETRANK_PLAN_INT_H

#include "plan.h"

#include <stdio.h>

struct parse {
	struct plan *p;
	FILE *fp;
	long line;
	int bad;
	char section[256]; /* the section of the last key, to see a new one */
	int refused;       /* ... and that section was refused: its keys are
	                      skipped (said once) */
	int named;         /* a KEY = VALUE line came since the header */
	int cont;          /* this line continues the last value */
	char *joined;      /* the last value, with its continuations */
};


/* shared between the stage's files (split by concern) */
int plan_set(char **dst, const char *v);
long plan_find_named(const char *const *names, size_t n, const char *name);
int plan_whole(const char *s, unsigned long lo, unsigned long hi,
		 unsigned long *v);

/* inih's line reader (counting lines) and handler, over a struct parse */
char *plan_ini_reader(char *str, int num, void *stream);
int plan_ini_handler(void *user, const char *section, const char *key,
		     const char *value);

#endif
