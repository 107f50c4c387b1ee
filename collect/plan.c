/* The plan file and its schedule (plan.h).  inih does the INI syntax; a
 * plan_ini_reader around fgets counts lines, so every message names FILE:LINE. */
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



static int sha256_of(const char *path, char *const *sets, size_t nsets,
		     char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE], buf[65536];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return -1;
	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sha256_update(&ctx, n, buf);
	fclose(fp);
	for (size_t i = 0; i < nsets; i++) {
		sha256_update(&ctx, 6, (const uint8_t *)"\n#set ");
		sha256_update(&ctx, strlen(sets[i]), (const uint8_t *)sets[i]);
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	return 0;
}

/* --set FACTOR.levels=A B: the factor narrowed to some of its levels,
 * in the order given; their own setups and values go with them. */
static int narrow_levels(struct plan *p, struct plan_factor *x, const char *kv,
			 const char *value)
{
	char *copy = strdup(value), *save = NULL;
	size_t map[PLAN_MAX], n = 0;
	int rc = -1;

	if (!copy)
		return -1;
	for (char *t = strtok_r(copy, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
		long i = plan_find_named((const char *const *)x->levels, x->nlevels, t);

		for (size_t k = 0; i >= 0 && k < n; k++)
			if (map[k] == (size_t)i)
				i = -2;
		if (i < 0) {
			diag(DIAG_USAGE, "measure: --set '%s': '%s' is %s", kv, t,
			     i == -2 ? "given twice" : "not one of the factor's levels");
			goto out;
		}
		map[n++] = (size_t)i;
	}
	if (n == 0) {
		diag(DIAG_USAGE, "measure: --set '%s': expected at least one level", kv);
		goto out;
	}
	{
		char *lv[PLAN_MAX], *su[PLAN_MAX], *td[PLAN_MAX];
		int keep[PLAN_MAX] = { 0 };

		for (size_t k = 0; k < n; k++) {
			lv[k] = x->levels[map[k]];
			su[k] = x->lsetup[map[k]];
			td[k] = x->lteardown[map[k]];
			keep[map[k]] = 1;
		}
		for (size_t l = 0; l < x->nlevels; l++)
			if (!keep[l]) {
				free(x->levels[l]);
				free(x->lsetup[l]);
				free(x->lteardown[l]);
			}
		for (size_t l = 0; l < PLAN_MAX; l++) {
			x->levels[l] = l < n ? lv[l] : NULL;
			x->lsetup[l] = l < n ? su[l] : NULL;
			x->lteardown[l] = l < n ? td[l] : NULL;
		}
		for (size_t v = 0; v < x->nvars; v++) {
			char *val[PLAN_MAX];

			for (size_t k = 0; k < n; k++)
				val[k] = x->var[v].lvalue[map[k]];
			for (size_t l = 0; l < x->nlevels; l++)
				if (!keep[l])
					free(x->var[v].lvalue[l]);
			for (size_t l = 0; l < PLAN_MAX; l++)
				x->var[v].lvalue[l] = l < n ? val[l] : NULL;
		}
		x->nlevels = n;
	}
	rc = 0;
out:
	(void)p;
	free(copy);
	return rc;
}

/* --set NAME=VALUE: a [vars] variable, rounds / seed, or FACTOR.levels */
static int apply_set(struct plan *p, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t nl = eq ? (size_t)(eq - kv) : 0;

	if (!eq || nl == 0) {
		diag(DIAG_USAGE, "measure: --set '%s': expected NAME=VALUE", kv);
		return -1;
	}
	if (nl > 7 && strncmp(eq - 7, ".levels", 7) == 0)
		for (size_t f = 0; f < p->nfactors; f++)
			if (strlen(p->factor[f].name) == nl - 7 &&
			    strncmp(p->factor[f].name, kv, nl - 7) == 0)
				return narrow_levels(p, &p->factor[f], kv, eq + 1);
	for (size_t i = 0; i < p->nvars; i++)
		if (strlen(p->vname[i]) == nl && strncmp(p->vname[i], kv, nl) == 0)
			return plan_set(&p->vvalue[i], eq + 1) ? 0 : -1;
	if ((nl == 6 && strncmp(kv, "rounds", 6) == 0) ||
	    (nl == 4 && strncmp(kv, "seed", 4) == 0)) {
		unsigned long v;

		if (plan_whole(eq + 1, nl == 6, nl == 6 ? 100000 : ULONG_MAX, &v) != 0) {
			diag(DIAG_USAGE, "measure: --set '%s': expected a whole "
				"number (rounds: 1 to 100000)", kv);
			return -1;
		}
		if (nl == 6)
			p->rounds = v;
		else
			p->seed = v;
		return 0;
	}
	diag(DIAG_USAGE, "measure: --set '%s': the plan has no [vars] variable "
	     "'%.*s' (and it is not rounds, seed or FACTOR.levels)", kv, (int)nl, kv);
	return -1;
}

/* FN(template, CTX) for every command template of P (the workloads'
 * collect, the directions' prefix, every setup and teardown) until one
 * returns non-zero; that value, or 0.  A direction's address is a value,
 * substituted as it is, not a template. */
static int each_template(const struct plan *p, int (*fn)(const char *, void *),
			 void *ctx)
{
	int r = 0;

	for (size_t w = 0; w < p->nworkloads && !r; w++)
		if (p->workload[w].collect)
			r = fn(p->workload[w].collect, ctx);
	for (size_t d = 0; d < p->ndirections && !r; d++)
		if (p->direction[d].prefix)
			r = fn(p->direction[d].prefix, ctx);
	for (size_t f = 0; f < p->nfactors && !r; f++) {
		const struct plan_factor *x = &p->factor[f];

		if (x->setup)
			r = fn(x->setup, ctx);
		if (!r && x->teardown)
			r = fn(x->teardown, ctx);
		for (size_t l = 0; l < x->nlevels && !r; l++) {
			if (x->lsetup[l])
				r = fn(x->lsetup[l], ctx);
			if (!r && x->lteardown[l])
				r = fn(x->lteardown[l], ctx);
		}
	}
	return r;
}

static int expands(const char *tpl, void *ctx)
{
	const struct plan *p = ctx;
	struct plan_trial t = { 0, 0, 0, 1, 0, 0 };
	char *e = plan_expand(p, &t, tpl);

	free(e);
	return e ? 0 : -1;
}

/* Every ${NAME} of every template is one plan_expand knows (expanded
 * once, for any trial: the names do not depend on it), so a typo stops
 * the plan when it is read, not after an hour of trials. */
static int check_templates(struct plan *p)
{
	return each_template(p, expands, p);
}

static int says(const char *tpl, void *ref)
{
	return strstr(tpl, ref) != NULL;
}

/* Does any command of P say ${NAME}? */
static int used(const struct plan *p, const char *name)
{
	char ref[140];

	snprintf(ref, sizeof ref, "${%s}", name);
	return each_template(p, says, ref);
}

/* Names are unique across factors, their variables and [vars]; every
 * factor variable has a value at every level and is used: an unused one
 * is most likely a misspelt key (setpu = ...), said, never ignored. */
static int check_names(struct plan *p)
{
	const char *seen[PLAN_MAX * (PLAN_MAX + 2)];
	size_t ns = 0;

	for (size_t f = 0; f < p->nfactors; f++) {
		const struct plan_factor *x = &p->factor[f];

		seen[ns++] = x->name;
		for (size_t v = 0; v < x->nvars; v++) {
			seen[ns++] = x->var[v].name;
			if (!used(p, x->var[v].name)) {
				diag_at(DIAG_ERROR, p->path, x->var[v].line, 0,
					"unknown key '%s' in [factor %s]: not levels, "
					"setup, teardown, setup.LEVEL or "
					"teardown.LEVEL, and as a variable no command "
					"uses ${%s}", x->var[v].name, x->name,
					x->var[v].name);
				return -1;
			}
			for (size_t l = 0; l < x->nlevels; l++)
				if (!x->var[v].value && !x->var[v].lvalue[l]) {
					diag_at(DIAG_ERROR, p->path, 0, 0,
						"[factor %s]: variable %s has no value "
						"at level %s (give %s = VALUE for every "
						"level, or %s.%s = VALUE)", x->name,
						x->var[v].name, x->levels[l],
						x->var[v].name, x->var[v].name,
						x->levels[l]);
					return -1;
				}
		}
	}
	for (size_t v = 0; v < p->nvars; v++) {
		seen[ns++] = p->vname[v];
		if (!used(p, p->vname[v])) {
			diag_at(DIAG_ERROR, p->path, p->vline[v], 0, "[vars] %s: "
				"no command uses ${%s}", p->vname[v], p->vname[v]);
			return -1;
		}
	}
	for (size_t i = 0; i < ns; i++)
		for (size_t j = i + 1; j < ns; j++)
			if (strcmp(seen[i], seen[j]) == 0) {
				diag_at(DIAG_ERROR, p->path, 0, 0, "'%s' names two "
					"things (factors, their variables and [vars] "
					"need names of their own)", seen[i]);
				return -1;
			}
	return 0;
}

/* Does configuration C match exclude line E (every FACTOR=LEVEL[,LEVEL]
 * token holds)?  With CHECK, each token is checked instead: a factor and
 * levels of the plan, said at the line; -1 then when one is not. */
static int excluded_by(const struct plan *p, size_t e, size_t c, int check)
{
	char *copy = strdup(p->exclude[e]), *save = NULL;
	int match = 1, ntok = 0;

	if (!copy)
		return -1;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(t, '='), *save2 = NULL;
		size_t f;
		int hit = 0;

		ntok++;
		if (eq)
			*eq = '\0';
		for (f = 0; f < p->nfactors && strcmp(p->factor[f].name, t); f++)
			;
		if (!eq || f == p->nfactors) {
			if (check) {
				diag_at(DIAG_ERROR, p->path, p->exclude_line[e], 0,
					"exclude: '%s': expected FACTOR=LEVEL[,LEVEL...] "
					"of a factor of the plan", t);
				free(copy);
				return -1;
			}
			match = 0;
			continue;
		}
		for (char *l = strtok_r(eq + 1, ",", &save2); l; l = strtok_r(NULL, ",", &save2)) {
			if (check) {
				if (plan_find_named((const char *const *)p->factor[f].levels,
					       p->factor[f].nlevels, l) < 0) {
					diag_at(DIAG_ERROR, p->path, p->exclude_line[e], 0,
						"exclude: %s has no level '%s'",
						p->factor[f].name, l);
					free(copy);
					return -1;
				}
			} else if (strcmp(plan_level(p, c, f), l) == 0) {
				hit = 1;
			}
		}
		match &= hit;
	}
	free(copy);
	if (check && ntok == 0) {
		diag_at(DIAG_ERROR, p->path, p->exclude_line[e], 0,
			"exclude: expected FACTOR=LEVEL[,LEVEL...] ...");
		return -1;
	}
	return check ? 0 : match;
}

int plan_read(struct plan *p, const char *path, char *const *sets,
	      size_t nsets)
{
	struct parse ps;
	const char *slash = strrchr(path, '/');
	int rc;

	memset(p, 0, sizeof *p);
	memset(&ps, 0, sizeof ps);
	p->path = strdup(path);
	p->dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	p->rounds = 3;
	p->seed = 1;
	p->estimate = NAN;
	p->warmup = -1;
	ps.p = p;
	ps.fp = fopen(path, "r");
	if (!ps.fp) {
		diag_at(DIAG_ERROR, path, 0, 0, "cannot read the plan: %s",
			strerror(errno));
		return -1;
	}
	rc = ini_parse_stream(plan_ini_reader, &ps, plan_ini_handler, &ps);
	fclose(ps.fp);
	free(ps.joined);
	if (rc > 0 && !ps.bad)
		diag_at(DIAG_ERROR, path, rc, 0,
			"expected [section], KEY = VALUE, or a ; or # comment");
	if (rc != 0 || ps.bad)
		return -1;
	/* the exclusions name the plan's own factors and levels (checked
	 * before --set narrows them: a level narrowed away just matches
	 * nothing) */
	for (size_t e = 0; e < p->nexclude; e++)
		if (excluded_by(p, e, 0, 1) != 0)
			return -1;
	for (size_t i = 0; i < nsets; i++)
		if (apply_set(p, sets[i]) != 0)
			return -1;
	if (sha256_of(path, sets, nsets, p->sha256) != 0)
		return -1;
	if (!p->output)
		p->output = strdup("logs");
	if (!p->collector)
		p->collector = strdup("vmnetrank-collect");
	p->nconfigs = 1;
	for (size_t f = 0; f < p->nfactors; f++) {
		if (p->factor[f].nlevels == 0) {
			diag_at(DIAG_ERROR, path, 0, 0, "factor %s has no levels "
				"(expected levels = A B ...)", p->factor[f].name);
			return -1;
		}
		p->nconfigs *= p->factor[f].nlevels;
		if (p->nconfigs > 100000) {
			diag_at(DIAG_ERROR, path, 0, 0, "more than 100000 "
				"configurations");
			return -1;
		}
	}
	p->included = malloc(p->nconfigs * sizeof *p->included);
	if (!p->included)
		return -1;
	for (size_t c = 0; c < p->nconfigs; c++) {
		int out = 0;

		for (size_t e = 0; e < p->nexclude && !out; e++)
			out = excluded_by(p, e, c, 0) == 1;
		if (!out)
			p->included[p->nincluded++] = c;
	}
	if (p->nincluded == 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "the exclude lines leave no "
			"configuration to measure");
		return -1;
	}
	if (p->ndirections == 0 || p->nworkloads == 0) {
		diag_at(DIAG_ERROR, path, 0, 0,
			"a plan needs at least one [direction ...] and one "
			"[workload ...]");
		return -1;
	}
	for (size_t w = 0; w < p->nworkloads; w++)
		if (!p->workload[w].collect) {
			diag_at(DIAG_ERROR, path, 0, 0, "[workload %s] has no "
				"collect = MODE ARGS", p->workload[w].name);
			return -1;
		}
	if (check_names(p) != 0 || check_templates(p) != 0)
		return -1;
	return 0;
}

void plan_free(struct plan *p)
{
	for (size_t f = 0; f < p->nfactors; f++) {
		struct plan_factor *x = &p->factor[f];

		for (size_t v = 0; v < x->nvars; v++) {
			free(x->var[v].name);
			free(x->var[v].value);
			for (size_t l = 0; l < PLAN_MAX; l++)
				free(x->var[v].lvalue[l]);
		}
		free(x->var);
		free(x->name);
		free(x->setup);
		free(x->teardown);
		for (size_t l = 0; l < x->nlevels; l++) {
			free(x->levels[l]);
			free(x->lsetup[l]);
			free(x->lteardown[l]);
		}
	}
	for (size_t d = 0; d < p->ndirections; d++) {
		free(p->direction[d].name);
		free(p->direction[d].prefix);
		free(p->direction[d].address);
	}
	for (size_t w = 0; w < p->nworkloads; w++) {
		free(p->workload[w].name);
		free(p->workload[w].collect);
	}
	for (size_t v = 0; v < p->nvars; v++) {
		free(p->vname[v]);
		free(p->vvalue[v]);
	}
	for (size_t e = 0; e < p->nexclude; e++)
		free(p->exclude[e]);
	free(p->included);
	free(p->path);
	free(p->dir);
	free(p->output);
	free(p->collector);
	memset(p, 0, sizeof *p);
}

const char *plan_level(const struct plan *p, size_t c, size_t f)
{
	/* mixed radix, the first factor slowest */
	size_t div = 1;

	for (size_t k = f + 1; k < p->nfactors; k++)
		div *= p->factor[k].nlevels;
	return p->factor[f].levels[(c / div) % p->factor[f].nlevels];
}

/* The rounds workload W runs in, in direction D: its own (the
 * direction's, else the workload's), never more than the plan's. */
unsigned long plan_workload_rounds(const struct plan *p, size_t w, size_t d)
{
	const struct plan_workload *x = &p->workload[w];
	unsigned long r = x->rounds_dir[strcmp(p->direction[d].name, "external") == 0];

	if (!r)
		r = x->rounds;
	return r && r < p->rounds ? r : p->rounds;
}

struct plan_trial *plan_schedule(const struct plan *p, size_t *n)
{
	size_t per = p->nworkloads * p->ndirections, nc = p->nincluded;
	size_t total = nc * per * p->rounds, k = 0;
	struct plan_trial *t = calloc(total + 1, sizeof *t);
	size_t *cfg = malloc((nc + 1) * sizeof *cfg);
	size_t *tr = malloc((per + 1) * sizeof *tr);
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (!t || !cfg || !tr || !r) {
		free(t);
		t = NULL;
		goto out;
	}
	gsl_rng_set(r, p->seed);
	if (p->order == ORDER_BLOCKED) {
		/* all of A (every round), then all of B: the loops' order */
		for (size_t c = 0; c < nc; c++) {
			size_t first = k;

			for (unsigned long rd = 1; rd <= p->rounds; rd++)
				for (size_t i = 0; i < per; i++)
					if (rd <= plan_workload_rounds(p, i / p->ndirections,
								       i % p->ndirections))
						t[k++] = (struct plan_trial){
							p->included[c], i / p->ndirections,
							i % p->ndirections, rd, 0, 0 };
			if (k > first) {
				t[first].setup = 1;
				t[k - 1].teardown = 1;
			}
		}
	} else {
		/* RMIT: each round every configuration once, in a fresh
		 * random order, its trials in a random order too; random:
		 * every trial anywhere */
		for (unsigned long rd = 1; rd <= p->rounds; rd++) {
			for (size_t c = 0; c < nc; c++)
				cfg[c] = p->included[c];
			gsl_ran_shuffle(r, cfg, nc, sizeof *cfg);
			for (size_t ci = 0; ci < nc; ci++) {
				size_t first = k;

				for (size_t i = 0; i < per; i++)
					tr[i] = i;
				gsl_ran_shuffle(r, tr, per, sizeof *tr);
				for (size_t i = 0; i < per; i++)
					if (rd <= plan_workload_rounds(p, tr[i] / p->ndirections,
								       tr[i] % p->ndirections))
						t[k++] = (struct plan_trial){
							cfg[ci], tr[i] / p->ndirections,
							tr[i] % p->ndirections, rd, 0, 0 };
				/* a configuration with no trial this round
				 * is not set up at all */
				if (k > first) {
					t[first].setup = 1;
					t[k - 1].teardown = 1;
				}
			}
		}
		if (p->order == ORDER_RANDOM) {
			gsl_ran_shuffle(r, t, k, sizeof *t);
			/* a setup wherever the configuration changes */
			for (size_t i = 0; i < k; i++) {
				t[i].setup = i == 0 || t[i - 1].config != t[i].config;
				t[i].teardown = i + 1 == k ||
						t[i + 1].config != t[i].config;
			}
		}
	}
	*n = k;
out:
	free(cfg);
	free(tr);
	if (r)
		gsl_rng_free(r);
	return t;
}

char *plan_expand(const struct plan *p, const struct plan_trial *t,
		  const char *tpl)
{
	size_t cap = strlen(tpl) + 256, len = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	for (const char *s = tpl; *s;) {
		const char *val = NULL;
		char name[128], num[32];

		if (s[0] == '$' && s[1] == '{') {
			const char *e = strchr(s, '}');

			if (!e || (size_t)(e - s - 2) >= sizeof name) {
				diag_at(DIAG_ERROR, p->path, 0, 0, "'%s': a ${ "
					"without its }", tpl);
				free(out);
				return NULL;
			}
			snprintf(name, sizeof name, "%.*s", (int)(e - s - 2), s + 2);
			for (size_t f = 0; f < p->nfactors && !val; f++) {
				const struct plan_factor *x = &p->factor[f];

				if (strcmp(x->name, name) == 0) {
					val = plan_level(p, t->config, f);
					break;
				}
				for (size_t v = 0; v < x->nvars && !val; v++)
					if (strcmp(x->var[v].name, name) == 0) {
						const char *lv = plan_level(p, t->config, f);
						size_t l = 0;

						while (strcmp(x->levels[l], lv))
							l++;
						val = x->var[v].lvalue[l] ? x->var[v].lvalue[l]
									  : x->var[v].value;
					}
			}
			for (size_t v = 0; v < p->nvars && !val; v++)
				if (strcmp(p->vname[v], name) == 0)
					val = p->vvalue[v];
			if (!val && strcmp(name, "address") == 0)
				val = p->direction[t->direction].address
					      ? p->direction[t->direction].address
					      : "";
			if (!val && strcmp(name, "direction") == 0)
				val = p->direction[t->direction].name;
			if (!val && strcmp(name, "workload") == 0)
				val = p->workload[t->workload].name;
			if (!val && strcmp(name, "round") == 0) {
				snprintf(num, sizeof num, "%lu", t->round);
				val = num;
			}
			if (!val) {
				diag_at(DIAG_ERROR, p->path, 0, 0, "'%s': no "
					"factor or name '%s' (expected a factor, a "
					"variable, address, direction, workload or "
					"round)",
					tpl, name);
				free(out);
				return NULL;
			}
			s = e + 1;
		} else {
			num[0] = *s++;
			num[1] = '\0';
			val = num;
		}
		{
			size_t vl = strlen(val);

			if (len + vl + 1 > cap) {
				char *nb;

				cap = (len + vl + 1) * 2;
				nb = realloc(out, cap);
				if (!nb) {
					free(out);
					return NULL;
				}
				out = nb;
			}
			memcpy(out + len, val, vl);
			len += vl;
			out[len] = '\0';
		}
	}
	if (len == 0)
		out[0] = '\0';
	return out;
}
