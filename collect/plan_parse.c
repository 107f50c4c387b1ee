/* The plan file, read through inih: sections, keys, continued values,
 * factor variables, each problem named at its line. */
#include "plan.h"
#include "plan_int.h"
#include "../lib/diag.h"
#include "../lib/labels.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <ini.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fgets for inih, counting lines; a section header is also handed to the
 * plan_ini_handler with no key, so that a section without keys ([direction
 * internal] alone) exists too. */
char *plan_ini_reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	char *r = fgets(str, num, ps->fp);

	if (r) {
		const char *s = r, *e;
		size_t len = strlen(r);

		ps->line++;
		if (len + 1 == (size_t)num && r[len - 1] != '\n' && !feof(ps->fp)) {
			/* inih would take the rest as a line of its own */
			diag_at(DIAG_ERROR, ps->p->path, ps->line, num - 1,
				"a line longer than %d characters (the INI "
				"parser's limit): continue the value on the next "
				"lines, each indented (they are joined with a "
				"space)", num - 2);
			ps->bad = 1;
			return NULL;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		/* inih's continuation: an indented line that is not blank or
		 * a comment, after a KEY = VALUE of the same section */
		ps->cont = s > r && ps->named && *s && *s != '\n' && *s != '\r' &&
			   *s != ';' && *s != '#';
		e = strchr(s, ']');
		if (!ps->cont && *s == '[' && e) {
			char sec[256];

			snprintf(sec, sizeof sec, "%.*s", (int)(e - s - 1), s + 1);
			ps->named = 0;
			plan_ini_handler(ps, sec, NULL, NULL);
		} else if (!ps->cont && *s && *s != '\n' && *s != '\r' &&
			   *s != ';' && *s != '#') {
			ps->named = 1;
		}
	}
	return r;
}

/* A continued value (README: "one value over several lines"): the lines
 * so far joined with a space; levels take only the new part (they add
 * up), any other key the whole value again. */
static const char *continued(struct parse *ps, const char *key, const char *value)
{
	if (!key)
		return value;
	if (!ps->cont) {
		free(ps->joined);
		ps->joined = strdup(value);
		return value;
	}
	if (strcmp(key, "levels") == 0)
		return value;
	{
		size_t a = ps->joined ? strlen(ps->joined) : 0;
		char *j = malloc(a + strlen(value) + 2);

		if (!j)
			return value;
		sprintf(j, "%s%s%s", ps->joined ? ps->joined : "", a ? " " : "", value);
		free(ps->joined);
		ps->joined = j;
		return j;
	}
}

static void bad(struct parse *ps, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof msg, fmt, a, b);
	diag_at(DIAG_ERROR, ps->p->path, ps->line, 0, "%s", msg);
	ps->bad = 1;
}

int plan_set(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst != NULL;
}

/* "factor netmode" -> kind "factor", name "netmode" */
static int split_section(const char *s, char *kind, size_t kc, const char **name)
{
	const char *sp = strchr(s, ' ');

	if (!sp) {
		snprintf(kind, kc, "%s", s);
		*name = "";
		return 0;
	}
	snprintf(kind, kc, "%.*s", (int)(sp - s), s);
	while (*sp == ' ')
		sp++;
	*name = sp;
	return 0;
}

long plan_find_named(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (long)i;
	return -1;
}

/* S as a whole number in [LO, HI] (no sign, nothing after): 0, else -1.
 * rounds, seed, warmup and a workload's rounds, in the file or a --set. */
int plan_whole(const char *s, unsigned long lo, unsigned long hi,
		 unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end || errno || *v < lo || *v > hi ? -1 : 0;
}

static int reserved(const char *name)
{
	static const char *const r[] = { "address", "direction", "workload",
					 "round", NULL };

	for (size_t i = 0; r[i]; i++)
		if (strcmp(name, r[i]) == 0)
			return 1;
	return 0;
}

/* NAME = VALUE (every level) or NAME.LEVEL = VALUE (that level's own)
 * in [factor F]: a variable ${NAME}, e.g. the address a level is
 * reached at. */
static void factor_var(struct parse *ps, struct plan_factor *f,
		       const char *key, const char *value)
{
	const char *dot = strchr(key, '.'), *why;
	char name[128];
	long lv = -1;
	size_t i;

	snprintf(name, sizeof name, "%.*s", dot ? (int)(dot - key) : (int)strlen(key), key);
	if (label_key_ok(name, strlen(name), &why) != 0 || reserved(name)) {
		bad(ps, "unknown key '%s' in [factor %s] (expected levels, "
			"setup, teardown, setup.LEVEL, teardown.LEVEL, or a "
			"variable NAME or NAME.LEVEL: a name that is not address, "
			"direction, workload or round)", key, f->name);
		return;
	}
	if (dot) {
		lv = plan_find_named((const char *const *)f->levels, f->nlevels, dot + 1);
		if (lv < 0) {
			bad(ps, "%s: no level '%s' above it (give levels first)",
			    key, dot + 1);
			return;
		}
	}
	for (i = 0; i < f->nvars && strcmp(f->var[i].name, name); i++)
		;
	if (i == f->nvars) {
		struct plan_var *nv;

		if (f->nvars == PLAN_MAX) {
			bad(ps, "more than 64 variables in [factor %s]%s", f->name, "");
			return;
		}
		nv = realloc(f->var, (f->nvars + 1) * sizeof *nv);
		if (!nv) {
			bad(ps, "out of memory%s%s", "", "");
			return;
		}
		f->var = nv;
		memset(&f->var[f->nvars], 0, sizeof *f->var);
		f->var[f->nvars].line = ps->line;
		f->var[f->nvars++].name = strdup(name);
	}
	plan_set(lv < 0 ? &f->var[i].value : &f->var[i].lvalue[lv], value);
}

int plan_ini_handler(void *user, const char *section, const char *key,
		   const char *value)
{
	struct parse *ps = user;
	struct plan *p = ps->p;
	char kind[64];
	const char *name, *why;

	value = continued(ps, key, value);
	split_section(section, kind, sizeof kind, &name);
	if (strcmp(kind, "plan") == 0 && !*name) {
		char *end;

		if (!key)
			return 1;
		if (strcmp(key, "rounds") == 0 || strcmp(key, "seed") == 0) {
			unsigned long v;

			if (plan_whole(value, key[0] == 'r', key[0] == 'r' ? 100000 : ULONG_MAX,
				  &v) != 0) {
				bad(ps, "%s '%s': expected a whole number (rounds: 1 "
					"to 100000)", key, value);
				return 1;
			}
			if (key[0] == 'r')
				p->rounds = v;
			else
				p->seed = v;
		} else if (strcmp(key, "order") == 0) {
			if (strcmp(value, "rmit") == 0)
				p->order = ORDER_RMIT;
			else if (strcmp(value, "blocked") == 0)
				p->order = ORDER_BLOCKED;
			else if (strcmp(value, "random") == 0)
				p->order = ORDER_RANDOM;
			else
				bad(ps, "order '%s': expected rmit, blocked or "
					"random%s", value, "");
		} else if (strcmp(key, "output") == 0) {
			plan_set(&p->output, value);
		} else if (strcmp(key, "collector") == 0) {
			plan_set(&p->collector, value);
		} else if (strcmp(key, "warmup") == 0) {
			unsigned long v;

			if (plan_whole(value, 0, 1000000000, &v) != 0)
				bad(ps, "warmup '%s': expected a whole number of "
					"operations >= 0%s", value, "");
			else
				p->warmup = (long)v;
		} else if (strcmp(key, "exclude") == 0) {
			if (p->nexclude == PLAN_MAX) {
				bad(ps, "more than 64 exclude lines%s%s", "", "");
			} else {
				p->exclude_line[p->nexclude] = ps->line;
				p->exclude[p->nexclude++] = strdup(value);
			}
		} else if (strcmp(key, "estimate") == 0) {
			p->estimate = strtod(value, &end);
			if (!*value || *end || !(p->estimate >= 0))
				bad(ps, "estimate '%s': expected seconds >= 0%s",
				    value, "");
		} else {
			bad(ps, "unknown key '%s' in [plan] (expected rounds, "
				"order, seed, output, collector, estimate, "
				"warmup or exclude)%s", key, "");
		}
		return 1;
	}
	if (strcmp(kind, "factor") == 0 || strcmp(kind, "direction") == 0 ||
	    strcmp(kind, "workload") == 0) {
		int isnew = strcmp(ps->section, section) != 0;

		if (!isnew && ps->refused)
			return 1;
		if (!isnew && !key)
			return 1;
		snprintf(ps->section, sizeof ps->section, "%s", section);
		ps->refused = 1; /* until the section is taken below */
		if (!*name || label_key_ok(name, strlen(name), &why) != 0) {
			bad(ps, "[%s]: expected a name, e.g. [factor netmode] "
				"(%s)", section, *name ? why : "none given");
			return 1;
		}
		if (kind[0] == 'f') {
			struct plan_factor *f;

			if (isnew) {
				const char *names[PLAN_MAX];

				for (size_t i = 0; i < p->nfactors; i++)
					names[i] = p->factor[i].name;
				if (plan_find_named(names, p->nfactors, name) >= 0 ||
				    p->nfactors == PLAN_MAX) {
					bad(ps, "[%s]: a second section for one "
						"factor, or more than 64%s", section, "");
					return 1;
				}
				if (strcmp(name, "workload") == 0 ||
				    strcmp(name, "direction") == 0) {
					bad(ps, "[%s]: workload and direction have "
						"sections of their own%s", section, "");
					return 1;
				}
				p->factor[p->nfactors++].name = strdup(name);
			}
			ps->refused = 0;
			if (!key)
				return 1;
			f = &p->factor[p->nfactors - 1];
			if (strcmp(key, "levels") == 0) {
				char *copy = strdup(value), *save = NULL;

				for (char *t = strtok_r(copy, " \t", &save); t;
				     t = strtok_r(NULL, " \t", &save)) {
					if (f->nlevels == PLAN_MAX) {
						bad(ps, "more than 64 levels%s%s", "", "");
						break;
					}
					f->levels[f->nlevels++] = strdup(t);
				}
				free(copy);
			} else if (strcmp(key, "setup") == 0) {
				plan_set(&f->setup, value);
			} else if (strcmp(key, "teardown") == 0) {
				plan_set(&f->teardown, value);
			} else if (strncmp(key, "setup.", 6) == 0 ||
				   strncmp(key, "teardown.", 9) == 0) {
				int su = key[0] == 's';
				const char *lv = key + (su ? 6 : 9);
				long i = plan_find_named((const char *const *)f->levels,
						    f->nlevels, lv);

				if (i < 0)
					bad(ps, "%s: no level '%s' above it (give "
						"levels first)", key, lv);
				else
					plan_set(su ? &f->lsetup[i] : &f->lteardown[i], value);
			} else {
				factor_var(ps, f, key, value);
			}
			return 1;
		}
		if (kind[0] == 'd') {
			struct plan_direction *d;

			if (isnew) {
				if ((strcmp(name, "internal") && strcmp(name, "external")) ||
				    p->ndirections == 2) {
					bad(ps, "[%s]: expected [direction internal] or "
						"[direction external]%s", section, "");
					return 1;
				}
				p->direction[p->ndirections++].name = strdup(name);
			}
			ps->refused = 0;
			if (!key)
				return 1;
			d = &p->direction[p->ndirections - 1];
			if (strcmp(key, "prefix") == 0)
				plan_set(&d->prefix, value);
			else if (strcmp(key, "address") == 0)
				plan_set(&d->address, value);
			else
				bad(ps, "unknown key '%s' in [%s] (expected prefix "
					"or address)", key, section);
			return 1;
		}
		{
			struct plan_workload *w;

			if (isnew) {
				if (p->nworkloads == PLAN_MAX) {
					bad(ps, "more than 64 workloads%s%s", "", "");
					return 1;
				}
				p->workload[p->nworkloads++].name = strdup(name);
			}
			ps->refused = 0;
			if (!key)
				return 1;
			w = &p->workload[p->nworkloads - 1];
			if (strcmp(key, "collect") == 0) {
				plan_set(&w->collect, value);
			} else if (strcmp(key, "rounds") == 0 ||
				   strcmp(key, "rounds.internal") == 0 ||
				   strcmp(key, "rounds.external") == 0) {
				unsigned long v;

				if (plan_whole(value, 1, 100000, &v) != 0)
					bad(ps, "%s '%s': expected a whole number of "
						"rounds, 1 to 100000", key, value);
				else if (key[6] == '\0')
					w->rounds = v;
				else
					w->rounds_dir[key[7] == 'e'] = v;
			} else {
				bad(ps, "unknown key '%s' in [%s] (expected collect, "
					"rounds, rounds.internal or rounds.external)",
				    key, section);
			}
			return 1;
		}
	}
	if (strcmp(kind, "vars") == 0 && !*name) {
		const char *why;

		snprintf(ps->section, sizeof ps->section, "%s", section);
		ps->refused = 0;
		if (!key)
			return 1;
		if (label_key_ok(key, strlen(key), &why) != 0) {
			bad(ps, "[vars] %s: not a name (%s)", key, why);
			return 1;
		}
		for (size_t i = 0; i < p->nvars; i++)
			if (strcmp(p->vname[i], key) == 0)
				return plan_set(&p->vvalue[i], value), 1;
		if (p->nvars == PLAN_MAX) {
			bad(ps, "more than 64 variables in [vars]%s%s", "", "");
			return 1;
		}
		p->vline[p->nvars] = ps->line;
		p->vname[p->nvars] = strdup(key);
		p->vvalue[p->nvars++] = strdup(value);
		return 1;
	}
	if (key && strcmp(ps->section, section) == 0 && ps->refused)
		return 1; /* said at its header */
	snprintf(ps->section, sizeof ps->section, "%s", section);
	ps->refused = 1;
	bad(ps, "unknown section [%s] (expected [plan], [factor NAME], "
		"[direction internal|external], [workload NAME], [vars])%s",
	    section, "");
	return 1;
}
