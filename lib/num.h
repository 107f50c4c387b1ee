/*
 * num: exact decimal text to integers.
 *
 * Timestamps and durations never pass through floating point: "1.901" in
 * seconds is 1901000 microseconds exactly.  Surrounding spaces and tabs are
 * ignored.  On a syntax error *bad is the offset of the offending byte.
 */
#ifndef VMNETRANK_NUM_H
#define VMNETRANK_NUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum num_status { NUM_OK = 0, NUM_EMPTY, NUM_SYNTAX, NUM_RANGE };

/* An optionally signed decimal integer. */
int num_i64(const char *s, size_t n, int64_t *out, size_t *bad);

/*
 * A decimal number (optional sign, digits, optional fraction) in a unit of
 * 10^pow10 microseconds (s: 6, ms: 3, us: 0, ns: -3), converted to whole
 * microseconds, rounded to nearest with halves away from zero.
 */
int num_scaled(const char *s, size_t n, int pow10, int64_t *out, size_t *bad);

/* The resolution, in whole microseconds (at least 1), of decimal text S in
 * a unit of 10^pow10 us: "1196266661" s -> 1000000, "…661.901" s -> 1000. */
int64_t num_resolution(const char *s, size_t n, int pow10);

/* The pow10 of a unit name ("s", "ms", "us", "ns"); -100 when unknown. */
int num_unit_pow10(const char *unit);


/* Are all eight bytes of W (a little-endian load) ASCII digits? */
static inline int num_eight_digits(uint64_t w)
{
	return ((w & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
		(((w + UINT64_C(0x0606060606060606)) &
		  UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ==
	       UINT64_C(0x3333333333333333);
}

/* The value of eight ASCII digits, most significant first (little-endian
 * load): pairs, then quads, then the whole, by multiplication. */
static inline uint32_t num_eight_value(uint64_t w)
{
	const uint64_t mask = UINT64_C(0x000000FF000000FF);
	const uint64_t mul1 = 100 + (UINT64_C(1000000) << 32);
	const uint64_t mul2 = 1 + (UINT64_C(10000) << 32);

	w -= UINT64_C(0x3030303030303030);
	w = (w * 10) + (w >> 8);
	w = (((w & mask) * mul1) + (((w >> 16) & mask) * mul2)) >> 32;
	return (uint32_t)w;
}

/*
 * The run of ASCII digits at the start of s[0..n), read no further than
 * 19 digits: its length (0 to 19) and its value in *v (exact: 19 digits
 * fit in 64 bits).  No sign, no blanks: a caller that needs them uses
 * num_i64(), which gives the same value for such text.
 */
static inline size_t num_digits(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 0;

	if (n > 19)
		n = 19;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (n - i >= 8) {
		static const uint32_t scale[8] = { 1,	   10,	   100,
						   1000,   10000,  100000,
						   1000000, 10000000 };
		uint64_t w, odd;
		unsigned c;

		memcpy(&w, s + i, 8);
		/* a zero byte for each digit; the first non-digit's byte
		 * is exact (no carry reaches it from the digits before) */
		odd = ((w & UINT64_C(0xF0F0F0F0F0F0F0F0)) |
		       (((w + UINT64_C(0x0606060606060606)) &
			 UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) ^
		      UINT64_C(0x3333333333333333);
		if (!odd) {
			x = x * 100000000u + num_eight_value(w);
			i += 8;
			continue;
		}
		c = (unsigned)__builtin_ctzll(odd) >> 3;
		if (c) {
			/* the C digits last, after 8 - C zeros */
			w = (w << (8 * (8 - c))) |
			    (UINT64_C(0x3030303030303030) >> (8 * c));
			x = x * scale[c] + num_eight_value(w);
		}
		*v = x;
		return i + c;
	}
#endif
	for (; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');

		if (d > 9)
			break;
		x = x * 10 + d;
	}
	*v = x;
	return i;
}


/* The eight decimal digits of x (< 10^8), leading zeros included, as the
 * bytes of a little-endian word, most significant first: halves, then
 * pairs, then digits, each step on all lanes at once by multiplication
 * (x / 100 as (x * 10486) >> 20 for x < 10^4, x / 10 as (x * 103) >> 10
 * for x < 100: exact there). */
static inline uint64_t num_eight_digits_word(uint32_t x)
{
	uint64_t halves = (uint64_t)(x / 10000) | ((uint64_t)(x % 10000) << 32);
	uint64_t hi = ((halves * 10486) >> 20) & UINT64_C(0x0000007F0000007F);
	uint64_t pairs = ((halves - 100 * hi) << 16) | hi;
	uint64_t tens = ((pairs * 103) >> 10) & UINT64_C(0x000F000F000F000F);

	return tens | ((pairs - 10 * tens) << 8);
}

/* The eight bytes of word D at P, its low byte first. */
static inline void num_store8(char *p, uint64_t d)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(p, &d, 8);
#else
	for (int i = 0; i < 8; i++)
		p[i] = (char)(d >> (8 * i));
#endif
}

/* Write x (< 10^8) without leading zeros; returns the length.  Stores
 * eight bytes at p (those past the length are scratch). */
static inline size_t num_fmt_small(char *p, uint32_t x)
{
	uint64_t d = num_eight_digits_word(x);
	unsigned zeros = d ? (unsigned)__builtin_ctzll(d) >> 3 : 7;

	d = (d | UINT64_C(0x3030303030303030)) >> (8 * zeros);
	num_store8(p, d);
	return 8 - zeros;
}

/* Exactly eight digits of x (< 10^8), with leading zeros. */
static inline void num_fmt_eight(char *p, uint32_t x)
{
	uint64_t d = num_eight_digits_word(x) | UINT64_C(0x3030303030303030);

	num_store8(p, d);
}

/* Write v in decimal to buf (at least 21 bytes); returns the length. */
static inline size_t num_fmt_i64(char *buf, int64_t v)
{
	char *p = buf;
	uint64_t u;

	if (v < 0) {
		*p++ = '-';
		u = (uint64_t)0 - (uint64_t)v;
	} else {
		u = (uint64_t)v;
	}
	if (u < 100000000u)
		return (size_t)(p - buf) + num_fmt_small(p, (uint32_t)u);
	if (u < UINT64_C(10000000000000000)) {
		size_t n = num_fmt_small(p, (uint32_t)(u / 100000000u));

		num_fmt_eight(p + n, (uint32_t)(u % 100000000u));
		return (size_t)(p - buf) + n + 8;
	}
	{
		size_t n = num_fmt_small(p, (uint32_t)(u / UINT64_C(10000000000000000)));

		u %= UINT64_C(10000000000000000);
		num_fmt_eight(p + n, (uint32_t)(u / 100000000u));
		num_fmt_eight(p + n + 8, (uint32_t)(u % 100000000u));
		return (size_t)(p - buf) + n + 16;
	}
}

#endif
