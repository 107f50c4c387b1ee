#include "weights.h"
#include "../lib/diag.h"
#include "../lib/lines.h"
#include "../lib/metric.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void weights_release(struct weights *w)
{
	free(w->share);
	free(w->weight);
	free(w->metric);
	for (size_t i = 0; i < w->nref; i++) {
		free(w->ref_keys[i]);
		free(w->ref_values[i]);
	}
	free(w->ref_keys);
	free(w->ref_values);
	free(w->describe);
	memset(w, 0, sizeof *w);
}

static char *known_list(const char *const *names, size_t n)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, names[i]);
	}
	return s;
}

/* Split a line into at most 16 blank-separated words (in place). */
static size_t words(char *s, char **w)
{
	size_t n = 0;

	while (*s && n < 16) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s || *s == '#')
			break;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	if (*s == '#')
		*s = '\0';
	return n;
}

static int number(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && isfinite(*v) ? 0 : -1;
}

/* A number with an optional '%' (then divided by 100; *PCT says so). */
static int number_pct(const char *s, double *v, int *pct)
{
	size_t len = strlen(s);
	char buf[64];

	*pct = len > 1 && s[len - 1] == '%';
	if (!*pct)
		return number(s, v);
	if (len - 1 >= sizeof buf)
		return -1;
	memcpy(buf, s, len - 1);
	buf[len - 1] = '\0';
	if (number(buf, v) != 0)
		return -1;
	*v /= 100;
	return 0;
}

int weights_share(const char *s, double *v)
{
	int pct;

	if (number_pct(s, v, &pct) != 0)
		return -1;
	return *v >= 0 && *v <= 1 ? 0 : -2;
}

const char *weights_share_why(int rc)
{
	return rc == -1 ? "expected a share: a fraction from 0 to 1, or a "
			  "percentage from 0% to 100%"
			: "outside 0..1 (a share is a fraction from 0 to 1, "
			  "or a percentage with its sign: 20%)";
}

/* The command line's shares, "WORKLOAD=P" each, over the file's (or the
 * defaults); SHARE_LINE[i] = -1 marks a share given there. */
static int cli_shares(struct weights *w, const char *const *cli, size_t ncli,
		      const char *const *names, size_t n, const char *known,
		      long *share_line)
{
	int bad = 0;

	for (size_t k = 0; k < ncli; k++) {
		const char *eq = strchr(cli[k], '=');
		size_t wl, len = eq ? (size_t)(eq - cli[k]) : 0;
		double v;
		int rc;

		for (wl = 0; eq && wl < n; wl++)
			if (strlen(names[wl]) == len &&
			    memcmp(names[wl], cli[k], len) == 0)
				break;
		if (!eq || wl == n) {
			diag(DIAG_ERROR, "--share '%s': %s (the data have: %s)",
			     cli[k], eq ? "unknown workload" : "expected "
				     "WORKLOAD=P", known);
			bad = 1;
			continue;
		}
		if ((rc = weights_share(eq + 1, &v)) != 0) {
			diag(DIAG_ERROR, "--share '%s': %s", cli[k],
			     weights_share_why(rc));
			bad = 1;
			continue;
		}
		w->share[wl] = v;
		share_line[wl] = -1;
	}
	return bad ? -1 : 0;
}

/* The one line saying which weights these are (W->describe). */
static int describe(struct weights *w, const char *path,
		    const char *const *names, const long *share_line,
		    double rescaled_from)
{
	size_t cap = 160 + 96 * w->n, l;

	w->describe = malloc(cap);
	if (!w->describe)
		return -1;
	l = (size_t)snprintf(w->describe, cap, "%s:",
			     path ? path : "no weights file, equal weights");
	for (size_t i = 0; i < w->n && l < cap; i++)
		l += (size_t)snprintf(w->describe + l, cap - l,
				      " %s share %g%s %s %g;", names[i],
				      w->share[i],
				      share_line[i] < 0 ? " (--share)"
				      : !path		? " (default)"
							: "",
				      w->counts ? "count" : "weight",
				      w->weight[i]);
	if (rescaled_from > 0 && l < cap)
		snprintf(w->describe + l, cap - l,
			 " (the file's weights summed to %.6g: rescaled to 1)",
			 rescaled_from);
	return 0;
}

/* The column of word P of the line in BUF. */
#define COL(p) ((long)((p) - buf) + 1)

int weights_load(struct weights *w, const char *path,
		 const char *const *names, size_t n,
		 const char *const *cli, size_t ncli)
{
	struct lines L;
	const char *line;
	size_t len;
	long *share_line = NULL, *weight_line = NULL;
	int bad = 0, rc, kind = 0, rescaled; /* kind: 1 weight, 2 count */
	char *known = known_list(names, n);
	double sum = 0;

	memset(w, 0, sizeof *w);
	w->n = n;
	w->share = calloc(n + 1, sizeof *w->share);
	w->weight = calloc(n + 1, sizeof *w->weight);
	w->metric = malloc((n + 1) * sizeof *w->metric);
	share_line = calloc(n + 1, sizeof *share_line);
	weight_line = calloc(n + 1, sizeof *weight_line);
	if (!w->share || !w->weight || !w->metric || !share_line ||
	    !weight_line || !known)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		w->metric[i] = -1;
	if (!path) {
		for (size_t i = 0; i < n; i++) {
			w->share[i] = 0.5;
			w->weight[i] = 1.0 / (double)n;
		}
		if (ncli == 0) {
			w->defaulted = 1;
			w->describe = strdup("no weights file: equal internal "
					     "shares (0.5) and equal workload "
					     "weights");
			goto done;
		}
		if (cli_shares(w, cli, ncli, names, n, known, share_line) != 0)
			goto fail;
		if (describe(w, NULL, names, share_line, 0) != 0)
			goto nomem;
		goto done;
	}
	if (lines_open(&L, path) != 0) {
		diag_at(DIAG_ERROR, path, 0, 0, "cannot read: %s",
			strerror(L.err_errno));
		goto fail;
	}
	while ((rc = lines_next(&L, &line, &len)) == 1) {
		char buf[1024], *wd[16];
		size_t nw, wl;
		double v;
		int pct;

		if (len >= sizeof buf) {
			diag_at(DIAG_ERROR, path, L.lineno, 1, "line too long");
			bad = 1;
			continue;
		}
		memcpy(buf, line, len);
		buf[len] = '\0';
		nw = words(buf, wd);
		if (nw == 0)
			continue;
		if (strcmp(wd[0], "reference") == 0) {
			for (size_t i = 1; i < nw; i++) {
				char *eq = strchr(wd[i], '=');
				char **nk, **nv;

				if (!eq || eq == wd[i]) {
					diag_at(DIAG_ERROR, path, L.lineno, COL(wd[i]),
						"reference '%s': expected "
						"KEY=VALUE",
						wd[i]);
					bad = 1;
					continue;
				}
				nk = realloc(w->ref_keys, (w->nref + 1) * sizeof *nk);
				if (!nk)
					goto nomem;
				w->ref_keys = nk;
				nv = realloc(w->ref_values, (w->nref + 1) * sizeof *nv);
				if (!nv)
					goto nomem;
				w->ref_values = nv;
				*eq = '\0';
				w->ref_keys[w->nref] = strdup(wd[i]);
				w->ref_values[w->nref] = strdup(eq + 1);
				w->nref++;
			}
			continue;
		}
		if (strcmp(wd[0], "metric") == 0) {
			const struct metric *m = nw == 3 ? metric_find(wd[2]) : NULL;

			for (wl = 0; wl < n && nw == 3; wl++)
				if (strcmp(names[wl], wd[1]) == 0)
					break;
			if (nw != 3) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[0]),
					"expected 'metric WORKLOAD NAME'");
			} else if (wl == n) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[2]),
					"unknown workload '%s' (the data "
					"have: %s)",
					wd[1], known);
			} else if (!m) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[2]),
					"unknown metric '%s' (expected %s)",
					wd[2], metric_names());
			} else if (w->metric[wl] >= 0) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[1]),
					"a second metric for %s", wd[1]);
			} else {
				w->metric[wl] = (int)(m - metrics);
				continue;
			}
			bad = 1;
			continue;
		}
		if (strcmp(wd[0], "share") != 0 && strcmp(wd[0], "weight") != 0 &&
		    strcmp(wd[0], "count") != 0) {
			diag_at(DIAG_ERROR, path, L.lineno, 1,
				"'%s' (expected share, weight, count, metric "
				"or reference)",
				wd[0]);
			bad = 1;
			continue;
		}
		if (nw < 3 || nw > 4 || (nw == 4 && wd[0][0] != 's')) {
			diag_at(DIAG_ERROR, path, L.lineno, COL(wd[0]),
				"expected '%s WORKLOAD %s'", wd[0],
				wd[0][0] == 's' ? "[internal|external] P"
						: "NUMBER");
			bad = 1;
			continue;
		}
		for (wl = 0; wl < n; wl++)
			if (strcmp(names[wl], wd[1]) == 0)
				break;
		if (wl == n) {
			diag_at(DIAG_ERROR, path, L.lineno, COL(wd[1]),
				"unknown workload '%s' (the data have: %s)",
				wd[1], known);
			bad = 1;
			continue;
		}
		if (number_pct(wd[nw - 1], &v, &pct) != 0) {
			diag_at(DIAG_ERROR, path, L.lineno, COL(wd[nw - 1]),
				"'%s' is not a number", wd[nw - 1]);
			bad = 1;
			continue;
		}
		if (pct && wd[0][0] == 'c') {
			diag_at(DIAG_ERROR, path, L.lineno, COL(wd[nw - 1]),
				"a count '%s' as a percentage (expected a "
				"number of repetitions, or 'weight' lines for "
				"shares of importance)",
				wd[nw - 1]);
			bad = 1;
			continue;
		}
		if (wd[0][0] == 's') {
			int ext = 0;

			if (nw == 4) {
				if (strcmp(wd[2], "external") == 0)
					ext = 1;
				else if (strcmp(wd[2], "internal") != 0) {
					diag_at(DIAG_ERROR, path, L.lineno, COL(wd[2]),
						"unknown direction '%s' "
						"(expected internal or "
						"external)",
						wd[2]);
					bad = 1;
					continue;
				}
			}
			if (!(v >= 0 && v <= 1)) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[nw - 1]),
					"share '%s' %s", wd[nw - 1],
					weights_share_why(-2));
				bad = 1;
				continue;
			}
			if (share_line[wl]) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[1]),
					"a second share for %s (first at line "
					"%ld)",
					wd[1], share_line[wl]);
				bad = 1;
				continue;
			}
			share_line[wl] = L.lineno;
			w->share[wl] = ext ? 1 - v : v;
		} else {
			int k = wd[0][0] == 'w' ? 1 : 2;

			if (kind && kind != k) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[0]),
					"weights and counts mixed (expected "
					"one kind for every workload)");
				bad = 1;
				continue;
			}
			kind = k;
			if (!(v >= 0)) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[nw - 1]),
					"negative %s", wd[0]);
				bad = 1;
				continue;
			}
			if (weight_line[wl]) {
				diag_at(DIAG_ERROR, path, L.lineno, COL(wd[1]),
					"a second %s for %s (first at line "
					"%ld)",
					wd[0], wd[1], weight_line[wl]);
				bad = 1;
				continue;
			}
			weight_line[wl] = L.lineno;
			w->weight[wl] = v;
		}
	}
	if (rc < 0) {
		diag_at(DIAG_ERROR, path, L.lineno + 1, 0, "%s", L.error);
		bad = 1;
	}
	lines_close(&L);
	if (cli_shares(w, cli, ncli, names, n, known, share_line) != 0)
		bad = 1;
	for (size_t i = 0; i < n; i++) {
		if (!share_line[i]) {
			diag_at(DIAG_ERROR, path, 0, 0,
				"no share for workload %s (expected a line "
				"'share %s P'; the data have: %s)",
				names[i], names[i], known);
			bad = 1;
		}
		if (kind == 0) {
			w->weight[i] = 1.0 / (double)n;
		} else if (!weight_line[i]) {
			diag_at(DIAG_ERROR, path, 0, 0,
				"no %s for workload %s (the file gives them "
				"for some workloads, so every one needs one)",
				kind == 1 ? "weight" : "count", names[i]);
			bad = 1;
		}
		sum += w->weight[i];
	}
	/* importance weights are relative: rescaled to sum to 1, said so;
	 * counts are totals and stay as they are */
	if (!bad && kind == 1 && !(sum > 0)) {
		diag_at(DIAG_ERROR, path, 0, 0,
			"the weights sum to 0: no workload would count "
			"(expected at least one weight above 0)");
		bad = 1;
	}
	if (bad)
		goto fail;
	rescaled = kind == 1 && fabs(sum - 1) > 1e-9;
	if (rescaled) {
		for (size_t i = 0; i < n; i++)
			w->weight[i] /= sum;
		diag_at(DIAG_WARNING, path, 0, 0,
			"the weights sum to %.12g, not 1: each is divided by "
			"it (relative importance kept)",
			sum);
	}
	w->counts = kind == 2;
	if (describe(w, path, names, share_line, rescaled ? sum : 0) != 0)
		goto nomem;
done:
	free(share_line);
	free(weight_line);
	free(known);
	return 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
fail:
	free(share_line);
	free(weight_line);
	free(known);
	weights_release(w);
	return -1;
}
