/*
 * Calendar time stamps: ISO 8601 / RFC 3339 date-times
 * (2026-12-01T22:32:09.25Z, 2026-12-01 22:32:09+01:00) and zoneless
 * "YYYY-MM-DD HH:MM:SS[.f]" read in a zone the user names (--tz), as epoch
 * microseconds.  Exact: the fraction is decimal digits, rounded to the
 * nearest microsecond (halves away from zero), no floating point.
 *
 * A zone is UTC (Z, UTC), a fixed offset (+01:00, -0530), or a name from
 * the tz database (Europe/Berlin); a named zone's wall-clock time that
 * does not exist (the hour the clocks skip) or exists twice (the hour they
 * go back) is an error, never a guess.
 */
#ifndef VMNETRANK_TIMESTAMP_H
#define VMNETRANK_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

struct ts_zone {
	int kind;        /* TS_NONE, TS_FIXED, TS_NAMED */
	int offset_s;    /* TS_FIXED: seconds east of UTC */
	char name[128];  /* TS_NAMED */
	/* TS_NAMED: the last hour looked up, and its offset */
	int64_t cache_hour;
	int cache_offset, cache_state;
};

enum { TS_NONE = 0, TS_FIXED, TS_NAMED };

/* Parse a --tz value; 0, or -1 with *why. */
int ts_zone_parse(struct ts_zone *z, const char *s, const char **why);

/*
 * Parse the date-time S (N bytes) into epoch microseconds.  ZONE (may be
 * NULL or TS_NONE) applies to a stamp without its own offset.  *RES is the
 * resolution the text gives (1 s without a fraction, 1 ms with three
 * digits, ...).  0, or -1 with *BAD the offset of the problem and *WHY.
 */
int ts_parse(const char *s, size_t n, struct ts_zone *zone, int64_t *us,
	     int64_t *res, size_t *bad, const char **why);

#endif
