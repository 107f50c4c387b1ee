#include "num.h"

#include <string.h>

static inline void trim(const char **s, size_t *n, size_t *off)
{
	*off = 0;
	if (*n > 0 && (*s)[0] > ' ' && (*s)[*n - 1] > ' ')
		return;
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
		(*off)++;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Trim blanks and take an optional sign: the index of the first digit,
 * or (size_t)-1 with *status set. */
static size_t sign_prefix(const char **s, size_t *n, size_t *bad, int *neg,
			  int *status)
{
	size_t off;

	trim(s, n, &off);
	*bad = off;
	*neg = 0;
	if (*n == 0) {
		*status = NUM_EMPTY;
		return (size_t)-1;
	}
	if ((*s)[0] == '-' || (*s)[0] == '+') {
		*neg = (*s)[0] == '-';
		return 1;
	}
	return 0;
}

int num_i64(const char *s, size_t n, int64_t *out, size_t *bad)
{
	int neg, st;
	uint64_t v = 0;
	size_t i = sign_prefix(&s, &n, bad, &neg, &st);
	size_t off = *bad;

	if (i == (size_t)-1)
		return st;
	if (i == n) {
		*bad = off + i;
		return NUM_SYNTAX;
	}
	if (n - i <= 18) {
		/* cannot overflow: no check per digit; eight at a time */
		uint64_t w;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!num_eight_digits(w))
				break;
			v = v * 100000000u + num_eight_value(w);
			i += 8;
		}
#else
		(void)w;
#endif
		for (; i < n; i++) {
			unsigned d = (unsigned)((unsigned char)s[i] - '0');

			if (d > 9) {
				*bad = off + i;
				return NUM_SYNTAX;
			}
			v = v * 10 + d;
		}
		*out = neg ? -(int64_t)v : (int64_t)v;
		return NUM_OK;
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
	size_t intdigits = 0, fracdigits = 0;
	int neg, st, seen_dot = 0;
	uint64_t v = 0;
	int shift, round_up = 0;
	long keep;
	size_t i = sign_prefix(&s, &n, bad, &neg, &st);
	size_t off = *bad;

	if (i == (size_t)-1)
		return st;
	/* validate and count */
	for (size_t j = i; j < n; j++) {
		if (s[j] == '.' && !seen_dot) {
			seen_dot = 1;
			continue;
		}
		if ((unsigned)((unsigned char)s[j] - '0') > 9) {
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

int64_t num_resolution(const char *s, size_t n, int pow10)
{
	const char *dot = memchr(s, '.', n);
	int frac = 0;
	int64_t r = 1;

	if (dot)
		for (const char *p = dot + 1; p < s + n && *p >= '0' && *p <= '9'; p++)
			frac++;
	for (int e = pow10 - frac; e > 0 && r < INT64_C(1000000000000); e--)
		r *= 10;
	return r;
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

