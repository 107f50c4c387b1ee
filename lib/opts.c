#include "opts.h"
#include "diag.h"

#include <stdlib.h>
#include <string.h>

void opts_init(struct opts_parser *p, const char *command,
	       const struct opt *table, int argc, char **argv)
{
	memset(p, 0, sizeof *p);
	p->command = command;
	p->table = table;
	p->argc = argc;
	p->argv = argv;
	p->next = 1;
	p->operands = calloc((size_t)argc + 1, sizeof *p->operands);
}

void opts_release(struct opts_parser *p)
{
	free(p->operands);
	p->operands = NULL;
}

int opts_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *row = malloc((lb + 1) * sizeof *row);
	int d;

	if (!row)
		return 1 << 20;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *opts_closest(const char *word, const char *const *names)
{
	const char *best = NULL;
	int bestd = 1 << 20;
	size_t wl = strlen(word);

	for (size_t i = 0; names[i]; i++) {
		int d = opts_distance(word, names[i]);

		/* a prefix is a strong hint ("--keep" for "--keep-going") */
		if (wl >= 2 && strncmp(names[i], word, wl) == 0)
			d = 1;
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	if (best && bestd <= (int)(wl / 2 > 2 ? wl / 2 : 2))
		return best;
	return NULL;
}

/* Where to read more: "vmnetrank help CMD" or "PROGRAM CMD --help". */
static void help_hint(const struct opts_parser *p, char *buf, size_t cap)
{
	if (strcmp(diag_program(), "vmnetrank") == 0)
		snprintf(buf, cap, "vmnetrank help %s", p->command);
	else
		snprintf(buf, cap, "%s %s --help", diag_program(), p->command);
}

static void unknown_option(struct opts_parser *p, const char *word)
{
	const char *names[128];
	size_t n = 0;
	const char *best;

	for (const struct opt *o = p->table; o->name && n < 127; o++)
		names[n++] = o->name;
	names[n] = NULL;
	best = opts_closest(word, names);
	if (best)
		diag(DIAG_USAGE,
		     "%s: unknown option '--%s'; did you mean '--%s'?",
		     p->command, word, best);
	else {
		char hint[96];

		help_hint(p, hint, sizeof hint);
		diag(DIAG_USAGE, "%s: unknown option '--%s' (see '%s')",
		     p->command, word, hint);
	}
}

static int take_arg(struct opts_parser *p, const struct opt *o,
		    const char *inline_arg, const char **arg)
{
	if (!o->argname) {
		if (inline_arg) {
			diag(DIAG_USAGE, "%s: option '--%s' takes no value",
			     p->command, o->name);
			return OPTS_ERROR;
		}
		*arg = NULL;
		return (int)(o - p->table);
	}
	if (inline_arg) {
		*arg = inline_arg;
		return (int)(o - p->table);
	}
	if (p->next >= p->argc) {
		diag(DIAG_USAGE, "%s: option '--%s' needs a value (%s)",
		     p->command, o->name, o->argname);
		return OPTS_ERROR;
	}
	*arg = p->argv[p->next++];
	return (int)(o - p->table);
}

int opts_next(struct opts_parser *p, const char **arg)
{
	const struct opt *o;

	*arg = NULL;
	if (p->cluster && *p->cluster) {
		char c = *p->cluster++;

		for (o = p->table; o->name; o++)
			if (o->short_name == c)
				break;
		if (!o->name) {
			char hint[96];

			help_hint(p, hint, sizeof hint);
			diag(DIAG_USAGE, "%s: unknown option '-%c' (see '%s')",
			     p->command, c, hint);
			return OPTS_ERROR;
		}
		if (o->argname && *p->cluster) {
			const char *rest = p->cluster;

			p->cluster = NULL;
			return take_arg(p, o, rest, arg);
		}
		return take_arg(p, o, NULL, arg);
	}
	p->cluster = NULL;
	while (p->next < p->argc) {
		char *a = p->argv[p->next++];

		if (p->only_operands || a[0] != '-' || a[1] == '\0') {
			p->operands[p->noperands++] = a;
			if (p->stop_at_operand)
				p->only_operands = 1;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			p->only_operands = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			for (o = p->table; o->name; o++)
				if (strlen(o->name) == len &&
				    strncmp(o->name, name, len) == 0)
					return take_arg(p, o, eq ? eq + 1 : NULL,
							arg);
			{
				char word[128];

				snprintf(word, sizeof word, "%.*s", (int)len,
					 name);
				unknown_option(p, word);
			}
			return OPTS_ERROR;
		}
		p->cluster = a + 1;
		return opts_next(p, arg);
	}
	return OPTS_END;
}

void opts_print(FILE *fp, const struct opt *table)
{
	for (const struct opt *o = table; o->name; o++) {
		char left[80];

		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s",
				 o->short_name, o->name, o->argname ? " " : "",
				 o->argname ? o->argname : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
				 o->argname ? " " : "",
				 o->argname ? o->argname : "");
		if (strlen(left) > 26)
			fprintf(fp, "  %s\n  %-26s  %s\n", left, "", o->help);
		else
			fprintf(fp, "  %-26s  %s\n", left, o->help);
	}
}
