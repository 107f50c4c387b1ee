/* Calendar time stamps (timestamp.h). */
#include "timestamp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int64_t y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
	int v = 0;

	if (at + count > n)
		return -1;
	for (size_t i = 0; i < count; i++) {
		if (s[at + i] < '0' || s[at + i] > '9')
			return -1;
		v = v * 10 + (s[at + i] - '0');
	}
	*out = v;
	return 0;
}

/* "+HH:MM", "+HHMM", "+HH" at S[AT..N): seconds east; 0, or -1. */
static int offset_at(const char *s, size_t n, size_t at, int *secs)
{
	int h, m = 0, sign;

	if (at >= n || (s[at] != '+' && s[at] != '-'))
		return -1;
	sign = s[at] == '-' ? -1 : 1;
	if (digits(s, n, at + 1, 2, &h) != 0)
		return -1;
	at += 3;
	if (at < n && s[at] == ':')
		at++;
	if (at < n) {
		if (digits(s, n, at, 2, &m) != 0)
			return -1;
		at += 2;
	}
	if (at != n || h > 23 || m > 59)
		return -1;
	*secs = sign * (h * 3600 + m * 60);
	return 0;
}

int ts_zone_parse(struct ts_zone *z, const char *s, const char **why)
{
	memset(z, 0, sizeof *z);
	z->cache_hour = INT64_MIN;
	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 ||
	    strcmp(s, "utc") == 0) {
		z->kind = TS_FIXED;
		return 0;
	}
	if (s[0] == '+' || s[0] == '-') {
		if (offset_at(s, strlen(s), 0, &z->offset_s) != 0) {
			*why = "expected an offset +HH:MM or -HH:MM";
			return -1;
		}
		z->kind = TS_FIXED;
		return 0;
	}
	{
		char path[256];
		struct stat st;

		if (!*s || strlen(s) >= sizeof z->name || strstr(s, "..") ||
		    s[0] == '/') {
			*why = "expected UTC, an offset such as +01:00, or a "
			       "zone name such as Europe/Berlin";
			return -1;
		}
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", s);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			*why = "no such zone in /usr/share/zoneinfo (expected "
			       "UTC, an offset such as +01:00, or a zone name "
			       "such as Europe/Berlin)";
			return -1;
		}
		z->kind = TS_NAMED;
		strcpy(z->name, s);
	}
	return 0;
}

/*
 * The offset of named zone Z at local wall-clock time LOCAL (seconds since
 * the epoch as if it were UTC): 0 with *off, 1 when that time does not
 * exist there, 2 when it exists twice.
 */
static int named_offset(struct ts_zone *z, int64_t local, int *off)
{
	int64_t hour = local >= 0 ? local / 3600 : (local - 3599) / 3600;

	if (hour != z->cache_hour) {
		const char *old = getenv("TZ");
		char *keep = old ? strdup(old) : NULL;
		time_t cand[2];
		int ok[2];

		setenv("TZ", z->name, 1);
		tzset();
		for (int dst = 0; dst < 2; dst++) {
			struct tm tm;
			time_t t = (time_t)(hour * 3600);

			gmtime_r(&t, &tm);
			tm.tm_isdst = dst;
			cand[dst] = mktime(&tm);
			/* valid when it reads back as the same wall time in
			 * that DST state */
			{
				struct tm back;
				time_t b = cand[dst];

				localtime_r(&b, &back);
				ok[dst] = cand[dst] != (time_t)-1 &&
					  back.tm_isdst == dst &&
					  (int64_t)timegm(&back) == hour * 3600;
			}
		}
		if (keep) {
			setenv("TZ", keep, 1);
			free(keep);
		} else {
			unsetenv("TZ");
		}
		tzset();
		z->cache_hour = hour;
		if (ok[0] && ok[1] && cand[0] != cand[1])
			z->cache_state = 2;
		else if (!ok[0] && !ok[1])
			z->cache_state = 1;
		else {
			time_t c = ok[0] ? cand[0] : cand[1];

			z->cache_state = 0;
			z->cache_offset = (int)(hour * 3600 - (int64_t)c);
		}
	}
	*off = z->cache_offset;
	return z->cache_state;
}

int ts_parse(const char *s, size_t n, struct ts_zone *zone, int64_t *us,
	     int64_t *res, size_t *bad, const char **why)
{
	int Y, M, D, h, m, sec, off = 0, have_off = 0;
	size_t at;
	int64_t frac = 0, scale = 1000000;
	int nfrac = 0, round_up = 0;

	*bad = 0;
	if (digits(s, n, 0, 4, &Y) != 0 || n < 19 || s[4] != '-' ||
	    digits(s, n, 5, 2, &M) != 0 || s[7] != '-' ||
	    digits(s, n, 8, 2, &D) != 0 ||
	    (s[10] != 'T' && s[10] != ' ' && s[10] != 't') ||
	    digits(s, n, 11, 2, &h) != 0 || s[13] != ':' ||
	    digits(s, n, 14, 2, &m) != 0 || s[16] != ':' ||
	    digits(s, n, 17, 2, &sec) != 0) {
		*why = "expected a date-time YYYY-MM-DDTHH:MM:SS[.fraction]"
		       "[Z|+HH:MM]";
		return -1;
	}
	if (M < 1 || M > 12 || D < 1 || D > mdays(Y, M) || h > 23 || m > 59 ||
	    sec > 60) {
		*why = "no such date or time of day";
		return -1;
	}
	if (sec == 60)
		sec = 59; /* a leap second: epoch time has none (as POSIX) */
	at = 19;
	if (at < n && (s[at] == '.' || s[at] == ',')) {
		at++;
		if (at >= n || s[at] < '0' || s[at] > '9') {
			*bad = at;
			*why = "expected digits after the decimal point";
			return -1;
		}
		while (at < n && s[at] >= '0' && s[at] <= '9') {
			if (nfrac < 6) {
				frac = frac * 10 + (s[at] - '0');
				scale /= 10;
			} else if (nfrac == 6) {
				round_up = s[at] >= '5';
			}
			nfrac++;
			at++;
		}
		frac *= scale;
	}
	if (at < n) {
		if ((s[at] == 'Z' || s[at] == 'z') && at + 1 == n) {
			have_off = 1;
		} else if (offset_at(s, n, at, &off) == 0) {
			have_off = 1;
		} else {
			*bad = at;
			*why = "expected Z or an offset +HH:MM after the time";
			return -1;
		}
	}
	{
		int64_t local = days_from_civil(Y, M, D) * 86400 + h * 3600 +
				m * 60 + sec;

		if (!have_off) {
			if (!zone || zone->kind == TS_NONE) {
				*bad = 0;
				*why = "the time stamp has no zone (expected Z or "
				       "+HH:MM at its end, or give --tz, e.g. "
				       "--tz UTC or --tz Europe/Berlin)";
				return -1;
			}
			if (zone->kind == TS_FIXED)
				off = zone->offset_s;
			else {
				int st = named_offset(zone, local, &off);

				if (st == 1) {
					*why = "that wall-clock time does not "
					       "exist in the --tz zone (the "
					       "clocks skipped it)";
					return -1;
				}
				if (st == 2) {
					*why = "that wall-clock time happens "
					       "twice in the --tz zone (the "
					       "clocks went back): give the "
					       "stamps an offset, or use UTC";
					return -1;
				}
			}
		}
		*us = (local - off) * 1000000 + frac + round_up;
	}
	{
		int64_t r = 1000000;

		for (int i = 0; i < nfrac && r > 1; i++)
			r /= 10;
		*res = r;
	}
	return 0;
}
