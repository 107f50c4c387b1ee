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

/* Write v in decimal to buf (at least 21 bytes); returns the length. */
size_t num_fmt_i64(char *buf, int64_t v);

#endif
