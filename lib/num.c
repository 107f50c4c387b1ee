#include "num.h"

#include <string.h>

static void trim(const char **s, size_t *n, size_t *off)
{
	*off = 0;
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
		(*off)++;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

int num_i64(const char *s, size_t n, int64_t *out, size_t *bad)
{
	size_t off, i = 0;
	int neg = 0;
	uint64_t v = 0;

	trim(&s, &n, &off);
	*bad = off;
	if (n == 0)
		return NUM_EMPTY;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == n) {
		*bad = off + i;
		return NUM_SYNTAX;
	}
	for (; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9) {
			*bad = off + i;
			return NUM_SYNTAX;
		}
		if (v > (UINT64_MAX - d) / 10)
			return NUM_RANGE;
		v = v * 10 + d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return NUM_RANGE;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return NUM_RANGE;
		*out = (int64_t)v;
	}
	return NUM_OK;
}

int num_scaled(const char *s, size_t n, int pow10, int64_t *out, size_t *bad)
{
	size_t off, i = 0, intdigits = 0, fracdigits = 0, dot = 0;
	int neg = 0, seen_dot = 0;
	uint64_t v = 0;
	int shift, round_up = 0;
	long keep;

	trim(&s, &n, &off);
	*bad = off;
	if (n == 0)
		return NUM_EMPTY;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	/* validate and count */
	for (size_t j = i; j < n; j++) {
		if (s[j] == '.' && !seen_dot) {
			seen_dot = 1;
			dot = j;
			continue;
		}
		if ((unsigned char)s[j] - '0' > 9) {
			*bad = off + j;
			return NUM_SYNTAX;
		}
		if (seen_dot)
			fracdigits++;
		else
			intdigits++;
	}
	if (intdigits + fracdigits == 0) {
		*bad = off + i;
		return NUM_SYNTAX;
	}
	(void)dot;
	/* value = digits * 10^(pow10 - fracdigits) */
	shift = pow10 - (int)fracdigits;
	keep = (long)(intdigits + fracdigits) + (shift < 0 ? shift : 0);
	{
		long seen = 0;

		for (size_t j = i; j < n; j++) {
			unsigned d;

			if (s[j] == '.')
				continue;
			d = (unsigned char)s[j] - '0';
			if (seen < keep) {
				if (v > (UINT64_MAX - d) / 10)
					return NUM_RANGE;
				v = v * 10 + d;
			} else if (seen == keep) {
				round_up = d >= 5;
			}
			seen++;
		}
	}
	for (; shift > 0; shift--) {
		if (v > UINT64_MAX / 10)
			return NUM_RANGE;
		v *= 10;
	}
	if (round_up) {
		if (v == UINT64_MAX)
			return NUM_RANGE;
		v++;
	}
	if (v > (uint64_t)INT64_MAX)
		return NUM_RANGE;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return NUM_OK;
}

int num_unit_pow10(const char *unit)
{
	static const struct {
		const char *name;
		int pow10;
	} units[] = {
		{ "s", 6 }, { "ms", 3 }, { "us", 0 }, { "ns", -3 },
	};

	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(unit, units[i].name) == 0)
			return units[i].pow10;
	return -100;
}

size_t num_fmt_i64(char *buf, int64_t v)
{
	char tmp[24];
	size_t n = 0, len = 0;
	uint64_t u;

	if (v < 0) {
		buf[len++] = '-';
		u = (uint64_t)0 - (uint64_t)v;
	} else {
		u = (uint64_t)v;
	}
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		buf[len++] = tmp[--n];
	return len;
}
