#include "status.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void status_rule_init(struct status_rule *r)
{
	memset(r, 0, sizeof *r);
}

void status_rule_only_ok(struct status_rule *r)
{
	memset(r, 0, sizeof *r);
	r->only_ok = 1;
}

void status_rule_release(struct status_rule *r)
{
	free(r->items);
	free(r->text);
	memset(r, 0, sizeof *r);
}

int status_integer(const char *s, size_t n, long *v)
{
	long x = 0;

	if (n == 0 || n > 9)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 1;
}

static int word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* One item of a list: N, N-M, Nxx or a word. */
static int parse_item(const char *s, size_t n, struct status_item *it,
		      const char **why)
{
	const char *dash = memchr(s, '-', n);
	long a, b;

	it->lo = 1;
	it->hi = 0;
	it->word = NULL;
	it->wlen = 0;
	if (n == 0) {
		*why = "an empty item (expected N, N-M, Nxx or a word)";
		return -1;
	}
	if (status_integer(s, n, &a)) {
		it->lo = it->hi = a;
		return 0;
	}
	if (n == 3 && s[0] >= '1' && s[0] <= '9' && (s[1] | 0x20) == 'x' &&
	    (s[2] | 0x20) == 'x') {
		it->lo = (s[0] - '0') * 100;
		it->hi = it->lo + 99;
		return 0;
	}
	if (dash && dash > s && status_integer(s, (size_t)(dash - s), &a) &&
	    status_integer(dash + 1, n - (size_t)(dash - s) - 1, &b)) {
		if (b < a) {
			*why = "a range N-M needs N <= M";
			return -1;
		}
		it->lo = a;
		it->hi = b;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t' || (unsigned char)s[i] < 0x20) {
			*why = "an item holds no blanks (expected N, N-M, Nxx "
			       "or a word, separated by commas)";
			return -1;
		}
	it->word = s;
	it->wlen = n;
	return 0;
}

int status_rule_parse(struct status_rule *r, const char *list,
		      const char **why)
{
	struct status_rule nr;
	size_t cap = 1;
	const char *s;

	memset(&nr, 0, sizeof nr);
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	nr.text = strdup(list);
	nr.items = calloc(cap, sizeof *nr.items);
	if (!nr.text || !nr.items) {
		*why = "out of memory";
		status_rule_release(&nr);
		return -1;
	}
	s = nr.text;
	for (;;) {
		size_t len = strcspn(s, ",");

		if (parse_item(s, len, &nr.items[nr.n], why) != 0) {
			status_rule_release(&nr);
			return -1;
		}
		nr.n++;
		if (!s[len])
			break;
		s += len + 1;
	}
	status_rule_release(r);
	*r = nr;
	return 0;
}

int status_ok(const struct status_rule *r, const char *s, size_t n)
{
	long v;
	int is_int;

	/* the common case first: every row of a samples.csv says "ok" */
	if (n == 0 || (n == 2 && (s[0] | 0x20) == 'o' && (s[1] | 0x20) == 'k'))
		return 1;
	if (r->only_ok)
		return 0;
	is_int = status_integer(s, n, &v);
	if (!r->items)
		return is_int ? v == 0 || (v >= 100 && v <= 399)
			      : word_is(s, n, "true") || word_is(s, n, "success");
	for (size_t i = 0; i < r->n; i++) {
		const struct status_item *it = &r->items[i];

		if (it->word ? it->wlen == n && strncasecmp(it->word, s, n) == 0
			     : is_int && v >= it->lo && v <= it->hi)
			return 1;
	}
	return 0;
}
