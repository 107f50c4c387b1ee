/*
 * Unit tests for the shared kernels.  Each check compares against an
 * independent computation (snprintf, a plain digit loop, libcsv alone) or
 * a value worked out by hand.  Ends with "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L
#include "../lib/csvout.h"
#include "../lib/csvread.h"
#include "../lib/diag.h"
#include "../lib/lines.h"
#include "../lib/loghist.h"
#include "../lib/num.h"
#include "../lib/opts.h"
#include "../lib/outfile.h"
#include "../lib/status.h"
#include "../lib/timestamp.h"
#include "../ingest/batch.h"
#include "../ingest/samples.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "check.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_fmt_i64(void)
{
	int64_t edge[] = { 0,	      1,	9,	   10,	       99,
			   100,	      99999999, 100000000, 123456789,
			   INT64_C(9999999999999999), INT64_C(10000000000000000),
			   INT64_MAX, INT64_MIN, -1, -100000000 };
	int bad = 0;

	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
		char a[32], b[32];
		size_t n = num_fmt_i64(a, edge[i]);

		a[n] = '\0';
		snprintf(b, sizeof b, "%" PRId64, edge[i]);
		CHECK(strcmp(a, b) == 0, "fmt %s != %s", a, b);
	}
	for (int i = 0; i < 200000; i++) {
		char a[32], b[32];
		int64_t v = (int64_t)(xorshift() >> (xorshift() % 64));
		size_t n;

		if (i & 1)
			v = -v;
		n = num_fmt_i64(a, v);
		a[n] = '\0';
		snprintf(b, sizeof b, "%" PRId64, v);
		if (strcmp(a, b) != 0 && bad++ < 5)
			fprintf(stderr, "fmt %s != %s\n", a, b);
	}
	CHECK(bad == 0, "%d random values formatted differently from printf",
	      bad);
	/* every value below 10^6, and each power of ten and its neighbours */
	bad = 0;
	for (int64_t v = 0, p = 1; v < 1000000 || p > 0; v++) {
		char a[32], b[32];
		int64_t x = v;
		size_t n;

		if (v >= 1000000) { /* then 10^k - 1, 10^k, 10^k + 1 */
			x = p + (v % 3) - 1;
			if (v % 3 == 2)
				p = p > INT64_MAX / 10 ? 0 : p * 10;
		}
		n = num_fmt_i64(a, x);
		a[n] = '\0';
		snprintf(b, sizeof b, "%" PRId64, x);
		if (strcmp(a, b) != 0 && bad++ < 5)
			fprintf(stderr, "fmt %s != %s\n", a, b);
	}
	CHECK(bad == 0, "%d values below 10^6 or next to a power of ten "
			"formatted differently from printf",
	      bad);
}

/* plain reference: digits only, optional sign */
static int ref_i64(const char *s, int64_t *out)
{
	int neg = 0;
	long double v = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static void test_parse_i64(void)
{
	const char *ok[] = { "0", "7", "-7", "+12", "12345678", "123456789",
			     "1196266661901000", "9223372036854775807",
			     "-9223372036854775808", " 42 ", "00000000000000001" };
	const char *badv[] = { "", "-", "1x", "12345678x", "1234567.890",
			       "1 2", "abc", "9223372036854775808",
			       "99999999999999999999" };
	int64_t v;
	size_t off;
	int mism = 0;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t r;
		char t[64];
		size_t a = 0, b = strlen(ok[i]);

		CHECK(num_i64(ok[i], strlen(ok[i]), &v, &off) == NUM_OK,
		      "'%s' should parse", ok[i]);
		while (ok[i][a] == ' ')
			a++;
		while (b > a && ok[i][b - 1] == ' ')
			b--;
		snprintf(t, sizeof t, "%.*s", (int)(b - a), ok[i] + a);
		if (strcmp(t, "9223372036854775807") == 0)
			r = INT64_MAX;
		else if (strcmp(t, "-9223372036854775808") == 0)
			r = INT64_MIN;
		else
			ref_i64(t, &r);
		CHECK(v == r, "'%s' -> %" PRId64 ", expected %" PRId64, ok[i],
		      v, r);
	}
	for (size_t i = 0; i < sizeof badv / sizeof badv[0]; i++)
		CHECK(num_i64(badv[i], strlen(badv[i]), &v, &off) != NUM_OK,
		      "'%s' should not parse", badv[i]);
	CHECK(num_i64("12345678x", 9, &v, &off) == NUM_SYNTAX && off == 8,
	      "bad byte offset %zu, expected 8", off);
	/* random digit strings of every length up to 18 */
	for (int i = 0; i < 200000; i++) {
		char s[32];
		int len = 1 + (int)(xorshift() % 18);
		int64_t r;

		for (int k = 0; k < len; k++)
			s[k] = (char)('0' + xorshift() % 10);
		s[len] = '\0';
		ref_i64(s, &r);
		if ((num_i64(s, (size_t)len, &v, &off) != NUM_OK || v != r) &&
		    mism++ < 5)
			fprintf(stderr, "'%s' -> %" PRId64 "\n", s, v);
	}
	CHECK(mism == 0, "%d random digit strings parsed wrongly", mism);
}

static void test_scaled(void)
{
	static const struct {
		const char *s;
		int pow10;
		int64_t want;
	} cases[] = {
		/* worked out by hand */
		{ "1196266661.901", 6, INT64_C(1196266661901000) },
		{ "1.5", 6, 1500000 },
		{ "0.0000005", 6, 1 },  /* half a microsecond rounds up */
		{ "0.0000004", 6, 0 },
		{ "-0.0000005", 6, -1 }, /* halves away from zero */
		{ "12.25", 3, 12250 },
		{ "2", 3, 2000 },
		{ "1500", -3, 2 },       /* 1.5 us -> 2 */
		{ "1499", -3, 1 },
		{ "0.88449600", 6, 884496 },
		{ "7", 0, 7 },
		{ ".5", 6, 500000 },
		{ "5.", 6, 5000000 },
	};
	int64_t v;
	size_t off;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int st = num_scaled(cases[i].s, strlen(cases[i].s),
				    cases[i].pow10, &v, &off);

		CHECK(st == NUM_OK && v == cases[i].want,
		      "'%s' (10^%d us) -> %" PRId64 ", expected %" PRId64,
		      cases[i].s, cases[i].pow10, v, cases[i].want);
	}
	CHECK(num_scaled(".", 1, 6, &v, &off) == NUM_SYNTAX, "'.' parsed");
	CHECK(num_scaled("1.2.3", 5, 6, &v, &off) == NUM_SYNTAX && off == 3,
	      "second dot at %zu", off);
	CHECK(num_scaled("1e6", 3, 6, &v, &off) == NUM_SYNTAX,
	      "exponents are not decimal text");
	CHECK(num_scaled("99999999999999", 14, 6, &v, &off) == NUM_RANGE,
	      "overflow not caught");
	CHECK(num_unit_pow10("ms") == 3 && num_unit_pow10("min") == -100,
	      "unit table");
}

/* The status rule: every spelling of success and of failure. */
static void test_status(void)
{
	static const char *const ok[] = {
		"", "ok", "OK", "true", "TRUE", "success", "Success", "0", "100",
		"200", "204", "301", "399", NULL,
	};
	static const char *const bad[] = {
		"1", "2", "99", "400", "404", "500", "599", "false", "failed",
		"http-500", "http-200", "exit-1", "refused", "200 OK", "-1", " ",
		NULL,
	};
	struct status_rule r;
	const char *why;

	status_rule_init(&r);
	for (size_t i = 0; ok[i]; i++)
		CHECK(status_ok(&r, ok[i], strlen(ok[i])),
		      "default rule: '%s' should succeed", ok[i]);
	for (size_t i = 0; bad[i]; i++)
		CHECK(!status_ok(&r, bad[i], strlen(bad[i])),
		      "default rule: '%s' should fail", bad[i]);
	CHECK(status_rule_parse(&r, "200-204,3xx,Done", &why) == 0, "a list");
	CHECK(status_ok(&r, "204", 3) && status_ok(&r, "302", 3) &&
		      status_ok(&r, "done", 4) && status_ok(&r, "", 0) &&
		      status_ok(&r, "ok", 2),
	      "--ok-status 200-204,3xx,Done: 204, 302, done, empty, ok succeed");
	CHECK(!status_ok(&r, "205", 3) && !status_ok(&r, "0", 1) &&
		      !status_ok(&r, "true", 4) && !status_ok(&r, "400", 3),
	      "--ok-status replaces the rule: 205, 0, true, 400 fail");
	CHECK(status_rule_parse(&r, "300-200", &why) != 0 &&
		      status_rule_parse(&r, "200,,300", &why) != 0 &&
		      status_rule_parse(&r, "a b", &why) != 0,
	      "bad lists are refused");
	CHECK(status_ok(&r, "302", 3), "a refused list leaves the rule as it was");
	status_rule_release(&r);
	status_rule_only_ok(&r);
	CHECK(status_ok(&r, "ok", 2) && status_ok(&r, "", 0) &&
		      !status_ok(&r, "200", 3) && !status_ok(&r, "true", 4),
	      "samples.csv: only ok and empty succeed");
	/* the resolution of a stamp, from the decimals it gives */
	CHECK(num_resolution("1196266661", 10, 6) == 1000000 &&
		      num_resolution("1196266661.901", 14, 6) == 1000 &&
		      num_resolution("1196266661.901234", 17, 6) == 1 &&
		      num_resolution("1196266661.9012345", 18, 6) == 1 &&
		      num_resolution("1196266661901", 13, 3) == 1000 &&
		      num_resolution("1196266661901000", 16, 0) == 1,
	      "stamp resolutions");
}

static void test_opts(void)
{
	const char *names[] = { "ingest", "stats", "help", NULL };

	CHECK(opts_distance("kitten", "sitting") == 3, "edit distance");
	CHECK(opts_distance("", "abc") == 3, "edit distance to empty");
	CHECK(opts_closest("ingset", names) &&
		      strcmp(opts_closest("ingset", names), "ingest") == 0,
	      "ingset -> ingest");
	CHECK(opts_closest("zzzzzzzz", names) == NULL, "no wild guesses");
}

/* Write TEXT to a file and read it with csvread; flatten the records. */
static void read_all(const char *path, unsigned char delim, int fast,
		     char *out, size_t cap)
{
	struct csvread r;
	size_t len = 0;
	int rc;

	out[0] = '\0';
	if (csvread_open(&r, path, delim, '#', fast) != 0)
		return;
	while ((rc = csvread_next(&r)) != CSVREAD_EOF) {
		int w;

		if (rc == CSVREAD_ERROR)
			w = snprintf(out + len, cap - len, "E%ld:%ld|",
				     r.err_line, r.err_col);
		else if (rc == CSVREAD_COMMENT)
			w = snprintf(out + len, cap - len, "C%ld|", r.rec_line);
		else {
			w = snprintf(out + len, cap - len, "R%ld:", r.rec_line);
			for (size_t i = 0; i < r.nf && w > 0; i++) {
				len += (size_t)w;
				w = snprintf(out + len, cap - len,
					     "[%.*s@%ld:%ld]", (int)r.f[i].len,
					     r.f[i].s, r.f[i].line, r.f[i].col);
			}
			if (w > 0) {
				len += (size_t)w;
				w = snprintf(out + len, cap - len, "|");
			}
		}
		if (w > 0)
			len += (size_t)w;
	}
	csvread_close(&r);
}

static void test_csvread(void)
{
	/* fast path vs libcsv alone on lines that both can take, and on
	 * lines that only libcsv takes, must give the same records, field
	 * positions included */
	static const char *const texts[] = {
		"a,b,c\n1,2,3\n",
		"  a , b ,c  \n\n   \n1,,3\n,\n",
		"x\ty\t z \n1\t\t3\n",
		"a,\"b,c\",d\n\"multi\nline\",2,3\n",
		"a,b\n\"q\"\"q\",\" keep \"\n",
		"a,b\n1,2\r\n3,4",
		"# c\na,b\n1,\"x\"y\n5,6\n",
		"a,b\n\"open,2\n",
		"a;b\n1;2\n",
		"tail,\n1,\n",
	};
	char path[] = "/tmp/vmnr-unit-XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	close(fd);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		FILE *fp = fopen(path, "w");
		static char fast[8192], slow[8192];
		unsigned char delim = strchr(texts[i], '\t') ? '\t' : ',';

		fputs(texts[i], fp);
		fclose(fp);
		read_all(path, delim, 1, fast, sizeof fast);
		read_all(path, delim, 0, slow, sizeof slow);
		CHECK(strcmp(fast, slow) == 0,
		      "text %zu: fast path %s\n      libcsv    %s", i, fast,
		      slow);
	}
	/* known answers for the harder cases, worked out by hand */
	{
		FILE *fp = fopen(path, "w");
		static char got[4096];

		fputs("  a , \"b,c\" \n\"x\"\"y\",2\n", fp);
		fclose(fp);
		read_all(path, ',', 1, got, sizeof got);
		CHECK(strcmp(got, "R1:[a@1:3][b,c@1:7]|R2:[x\"y@2:1][2@2:8]|") ==
			      0,
		      "quoted fields: %s", got);
		fp = fopen(path, "w");
		fputs("a,b\n1,\"x\"y\n5,6\n", fp);
		fclose(fp);
		read_all(path, ',', 1, got, sizeof got);
		CHECK(strcmp(got, "R1:[a@1:1][b@1:3]|E2:6|R3:[5@3:1][6@3:3]|") ==
			      0,
		      "malformed quote: %s", got);
	}
	unlink(path);
}

/* Is s[0..n) 1 to 18 ASCII digits and nothing else? */
static int plain_digits(const char *s, size_t n)
{
	if (n == 0 || n > 18)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Did field K of the record stand between blanks the split trimmed? */
static int blank_around(const struct csvread *r, size_t k)
{
	const char *s = r->f[k].s, *e = s + r->f[k].len;

	return (s > r->raw && s[-1] != ',') ||
	       (e < r->raw + r->rawlen && e[0] != ',');
}

/* csvread_int_columns(): the fields are those of a plain read, and a field
 * is marked read exactly when it is plain digits with no blank around
 * them (and the line went the fast way), with num_i64()'s value.  Random rows mix digits of 1 to 20,
 * signs, blanks, empty fields, letters, quotes and extra delimiters. */
static void test_csvread_ints(void)
{
	static const char *const odd[] = { "-12", "+7", " 5", "5 ", "\t9",
					   "", "x", "1x", "1.5", "0", "007",
					   "\"3\"", "a b",
					   "a text field well past sixteen bytes",
					   "x/y/z/a-path-of-thirty-odd-bytes.log:17" };
	char path[] = "/tmp/vmnr-unit-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct csvread a, b;
	long rows = 0, marked = 0, fast_rows = 0, bad_fields = 0,
	     bad_values = 0, missed = 0, unasked = 0;
	int rc;

	CHECK(fd >= 0, "mkstemp");
	if (fd < 0)
		return;
	close(fd);
	fp = fopen(path, "w");
	for (int line = 0; line < 4000; line++) {
		int nf = 1 + (int)(xorshift() % 9);

		for (int k = 0; k < nf; k++) {
			uint64_t pick = k ? xorshift() % 4 : 0;

			if (k)
				fputc(',', fp);
			if (pick < 3) {
				int len = 1 + (int)(xorshift() % 20);

				for (int d = 0; d < len; d++)
					fputc('0' + (int)(xorshift() % 10), fp);
			} else
				fputs(odd[xorshift() % (sizeof odd / sizeof odd[0])],
				      fp);
		}
		fputc('\n', fp);
	}
	fclose(fp);
	if (csvread_open(&a, path, ',', '#', 1) != 0 ||
	    csvread_open(&b, path, ',', '#', 1) != 0) {
		CHECK(0, "csvread_open");
		unlink(path);
		return;
	}
	/* every column but the sixth: an unasked column is never marked */
	csvread_int_columns(&a, ~(UINT64_C(1) << 5));
	while ((rc = csvread_next(&a)) != CSVREAD_EOF) {
		int rb = csvread_next(&b);

		if (rc != rb || rc != CSVREAD_ROW || a.nf != b.nf) {
			bad_fields++;
			if (rc != rb)
				break;
			continue;
		}
		rows++;
		if (b.ivalid) /* the plain reader never marks a field */
			bad_fields++;
		fast_rows += !memchr(a.raw, '"', a.rawlen);
		for (size_t k = 0; k < a.nf; k++) {
			int64_t v;
			size_t bad;
			int mark = (int)(a.ivalid >> k & 1);

			if (a.f[k].len != b.f[k].len ||
			    memcmp(a.f[k].s, b.f[k].s, a.f[k].len) != 0 ||
			    a.f[k].col != b.f[k].col ||
			    a.f[k].line != b.f[k].line)
				bad_fields++;
			if (k == 5 && mark)
				unasked++;
			if (!mark) {
				if (k != 5 && !memchr(a.raw, '"', a.rawlen) &&
				    plain_digits(a.f[k].s, a.f[k].len) &&
				    !blank_around(&a, k))
					missed++;
				continue;
			}
			marked++;
			if (!plain_digits(a.f[k].s, a.f[k].len) ||
			    num_i64(a.f[k].s, a.f[k].len, &v, &bad) != NUM_OK ||
			    v != a.ival[k])
				bad_values++;
		}
	}
	CHECK(rows == 4000 && bad_fields == 0,
	      "int columns: %ld of 4000 rows, %ld fields unlike a plain read",
	      rows, bad_fields);
	CHECK(bad_values == 0 && unasked == 0,
	      "int columns: %ld of %ld marked fields wrong, %ld unasked",
	      bad_values, marked, unasked);
	CHECK(missed == 0 && fast_rows > 3000 && marked > 5000,
	      "int columns: %ld plain-digit fields of %ld fast rows not read "
	      "(%ld read)",
	      missed, fast_rows, marked);
	csvread_close(&a);
	csvread_close(&b);

	/* known answers, by hand */
	fp = fopen(path, "w");
	fputs("12,-3, 4,123456789012345678,1234567890123456789,,0\n", fp);
	fclose(fp);
	if (csvread_open(&a, path, ',', '#', 1) == 0) {
		csvread_int_columns(&a, UINT64_C(0x7F));
		rc = csvread_next(&a);
		CHECK(rc == CSVREAD_ROW && a.nf == 7 && a.ivalid == 0x49 &&
			      a.ival[0] == 12 &&
			      a.ival[3] == INT64_C(123456789012345678) &&
			      a.ival[6] == 0,
		      "int columns by hand: %d fields, marks %#llx", (int)a.nf,
		      (unsigned long long)a.ivalid);
		csvread_close(&a);
	}
	unlink(path);
}

/* csvout_shortest() against printf itself: the shortest of %.15g, %.16g,
 * %.17g that strtod reads back, over random bit patterns, decimal
 * fractions, ratios, integers, powers of ten and their neighbours, the
 * carries (9.999...), subnormals and the midpoints of 15 and 16 digits. */
static int shortest_ref(char *out, double v)
{
	int n = 0;
	for (int p = 15; p <= 17; p++) {
		n = snprintf(out, 64, "%.*g", p, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return n;
}

static int shortest_one(double v)
{
	char a[64], b[64];
	if (!isfinite(v)) /* an overflowed test value: NaN and inf checked apart */
		return 1;
	int na = csvout_shortest(a, v);
	int nb = shortest_ref(b, v);
	if (na == nb && memcmp(a, b, (size_t)na) == 0)
		return 1;
	a[na > 0 && na < 64 ? na : 0] = 0;
	fprintf(stderr, "csvout_shortest(%a): '%s', printf: '%s'\n", v, a, b);
	return 0;
}

static void test_csvout_shortest(void)
{
	long bad = 0, n = 0;
	char buf[64];

	for (long i = 0; i < 400000; i++) {
		uint64_t bits = xorshift();
		double v;
		memcpy(&v, &bits, sizeof v);
		if (isfinite(v))
			bad += !shortest_one(v), n++;
		bad += !shortest_one((double)(int64_t)(xorshift() % 2000000) / 1000.0), n++;
		bad += !shortest_one((double)(xorshift() % 100000 + 1) / (double)(xorshift() % 100000 + 1)), n++;
		bad += !shortest_one(-(double)(xorshift() >> 11) / 9007199254740992.0 * pow(10, (double)(xorshift() % 40) - 20)), n++;
		bad += !shortest_one((double)(int64_t)(xorshift() >> (xorshift() % 64))), n++;
	}
	for (int e = -325; e <= 308; e++) {
		double p = pow(10, e);
		bad += !shortest_one(p) + !shortest_one(nextafter(p, 0)) + !shortest_one(nextafter(p, INFINITY));
		bad += !shortest_one(9.99999999999999 * p) + !shortest_one(9.999999999999999 * p) + !shortest_one(-p);
		/* the midpoints of 15 and 16 digits and their neighbours */
		for (int k = 0; k < 20; k++) {
			double m = strtod((snprintf(buf, sizeof buf, "%d.%014d5e%d", 1 + k % 9, (int)(xorshift() % 100000000), e), buf), NULL);
			double m16 = strtod((snprintf(buf, sizeof buf, "%d.%015lld5e%d", 1 + k % 9, (long long)(xorshift() % 1000000000000ull), e), buf), NULL);
			bad += !shortest_one(m) + !shortest_one(nextafter(m, 0)) + !shortest_one(nextafter(m, INFINITY));
			bad += !shortest_one(m16) + !shortest_one(nextafter(m16, 0)) + !shortest_one(nextafter(m16, INFINITY));
			n += 6;
		}
		n += 6;
	}
	double edge[] = { 0.0, -0.0, 1e15, 1e15 - 1, 999999999999999.0, 1e16, 0.1, 1e-4, 1e-5, 9.5e-5,
			  0.30000000000000004, 4.9406564584124654e-324, 2.2250738585072014e-308,
			  1.7976931348623157e308, 0.5, 123456789012345.6, 1.0 / 3 };
	for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
		bad += !shortest_one(edge[i]) + !shortest_one(-edge[i]), n += 2;
	CHECK(bad == 0, "csvout_shortest differs from printf on %ld of %ld doubles", bad, n);
	CHECK(csvout_shortest(buf, NAN) == 0 && csvout_shortest(buf, INFINITY) == 0,
	      "NaN and infinity are empty");
	CHECK(n > 2000000, "the comparison covered %ld doubles", n);
}

static void test_csvout(void)
{
	char buf[64];
	size_t n;

	n = csvout_format(buf, sizeof buf, "plain", 5);
	CHECK(n == 5 && memcmp(buf, "plain", 5) == 0, "plain field");
	n = csvout_format(buf, sizeof buf, "a,b", 3);
	CHECK(n == 5 && memcmp(buf, "\"a,b\"", 5) == 0, "comma quoted");
	n = csvout_format(buf, sizeof buf, "say \"hi\"", 8);
	CHECK(n == 12 && memcmp(buf, "\"say \"\"hi\"\"\"", 12) == 0,
	      "quotes doubled: %.*s", (int)n, buf);
	n = csvout_format(buf, sizeof buf, " x", 2);
	CHECK(n == 4 && memcmp(buf, "\" x\"", 4) == 0,
	      "leading blank kept by quoting");
	/* doubles: the shortest text that reads back to the same double */
	{
		static const struct {
			double v;
			const char *want;
		} cases[] = {
			{ 39876188.966666664, "39876188.96666666" }, /* Python repr() */
			{ 0.1, "0.1" },
			{ 1000, "1000" },
			{ 1.0 / 3, "0.3333333333333333" },
			{ 1e-7, "1e-07" },
			{ 1818181.8181818181, "1818181.8181818181" },
		};
		char *mem = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&mem, &len);
		struct csvout w;
		int bad = 0;

		csvout_init(&w, fp);
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
			csvout_double(&w, cases[i].v);
		srand(1);
		for (int i = 0; i < 20000; i++) {
			uint64_t bits = (uint64_t)rand() << 40 ^ (uint64_t)rand() << 20 ^
					(uint64_t)rand();
			double v;

			memcpy(&v, &bits, sizeof v);
			csvout_double(&w, isfinite(v) ? v : 1.5);
		}
		csvout_endrow(&w);
		csvout_flush(&w);
		csvout_release(&w);
		fclose(fp);
		{
			char *p = mem, *end;

			for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
				size_t l = strcspn(p, ",\n");

				CHECK(l == strlen(cases[i].want) &&
					      memcmp(p, cases[i].want, l) == 0,
				      "%.17g printed as '%.*s', expected %s",
				      cases[i].v, (int)l, p, cases[i].want);
				p += l + 1;
			}
			srand(1);
			for (int i = 0; i < 20000; i++) {
				uint64_t bits = (uint64_t)rand() << 40 ^
						(uint64_t)rand() << 20 ^ (uint64_t)rand();
				double v, got = strtod(p, &end);

				memcpy(&v, &bits, sizeof v);
				if (!isfinite(v))
					v = 1.5;
				bad += got != v && !(got == 0 && v == 0);
				p = end + 1;
			}
		}
		CHECK(bad == 0, "%d of 20000 random doubles do not read back", bad);
		free(mem);
	}
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_outfile(void)
{
	char dir[] = "/tmp/vmnr-out-XXXXXX";
	char path[128], got[64] = "";
	struct outfile of;
	FILE *fp;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/x.csv", dir);
	fp = fopen(path, "w");
	fputs("OLD\n", fp);
	fclose(fp);
	/* an aborted write leaves the old file and no temporary */
	CHECK(outfile_open(&of, path) == 0, "open");
	fputs("NEW half", of.fp);
	outfile_abort(&of);
	fp = fopen(path, "r");
	CHECK(fp && fgets(got, sizeof got, fp) && strcmp(got, "OLD\n") == 0,
	      "old content kept after abort: '%s'", got);
	if (fp)
		fclose(fp);
	CHECK(count_entries(dir) == 1, "temporary removed after abort");
	/* a committed write replaces it */
	CHECK(outfile_open(&of, path) == 0, "open");
	fputs("NEW\n", of.fp);
	CHECK(outfile_commit(&of) == 0, "commit");
	fp = fopen(path, "r");
	CHECK(fp && fgets(got, sizeof got, fp) && strcmp(got, "NEW\n") == 0,
	      "new content after commit: '%s'", got);
	if (fp)
		fclose(fp);
	CHECK(count_entries(dir) == 1, "no temporary left after commit");
	/* no output replaces an input, or another output of the process */
	{
		char other[160], in[160];
		struct outfile a, b;

		snprintf(other, sizeof other, "%s/y.csv", dir);
		snprintf(in, sizeof in, "%s/in.log", dir);
		fp = fopen(in, "w");
		fputs("RAW\n", fp);
		fclose(fp);
		int saved = dup(2), dn = open("/dev/null", O_WRONLY);

		outfile_note_input(in);
		dup2(dn, 2); /* the two refusals' messages */
		CHECK(outfile_open(&a, in) == -1, "an input cannot be an output");
		CHECK(outfile_open(&a, other) == 0, "open y.csv");
		CHECK(outfile_open(&b, other) == -1, "y.csv twice at once");
		dup2(saved, 2);
		close(saved);
		close(dn);
		diag_reset();
		outfile_abort(&a);
		CHECK(outfile_open(&b, other) == 0, "y.csv again after the abort");
		outfile_abort(&b);
		fp = fopen(in, "r");
		CHECK(fp && fgets(got, sizeof got, fp) && strcmp(got, "RAW\n") == 0,
		      "the input is unchanged");
		if (fp)
			fclose(fp);
		unlink(in);
	}
	unlink(path);
	rmdir(dir);
}


/* ISO date-times against glibc's timegm() and localtime_r() (independent
 * calendar code), on random dates from 1970 to 2199, every fraction
 * length and offset; and the cases that must be refused. */
static void test_timestamp(void)
{
	struct ts_zone z, none, berlin;
	const char *why;
	int64_t us, res;
	size_t bad;
	int mism = 0;

	memset(&none, 0, sizeof none);
	CHECK(ts_zone_parse(&z, "UTC", &why) == 0 && z.kind == TS_FIXED &&
		      z.offset_s == 0, "UTC");
	CHECK(ts_zone_parse(&z, "-05:30", &why) == 0 && z.offset_s == -19800,
	      "-05:30");
	CHECK(ts_zone_parse(&z, "+0100", &why) == 0 && z.offset_s == 3600,
	      "+0100");
	CHECK(ts_zone_parse(&z, "Mars/Olympus", &why) != 0, "unknown zone");
	CHECK(ts_zone_parse(&z, "../etc/passwd", &why) != 0, "a path");
	CHECK(ts_zone_parse(&berlin, "Europe/Berlin", &why) == 0 &&
		      berlin.kind == TS_NAMED, "Europe/Berlin");
	srand(20261201);
	for (int i = 0; i < 20000; i++) {
		struct tm tm;
		char buf[160], frac[16] = "", off[16] = "Z";
		time_t t = (time_t)(((int64_t)rand() << 16 ^ rand()) %
				    (int64_t)7258118400); /* to 2200 */
		int nf = rand() % 8, offs = (rand() % 49 - 24) * 1800;
		int64_t fv = 0, want;

		if (t < 0)
			t = -t;
		gmtime_r(&t, &tm);
		for (int k = 0; k < nf; k++) {
			int d = rand() % 10;

			frac[k + 1] = (char)('0' + d);
			if (k < 6)
				fv = fv * 10 + d;
		}
		if (nf) {
			frac[0] = '.';
			frac[nf + 1] = '\0';
			for (int k = nf; k < 6; k++)
				fv *= 10;
			if (nf > 6 && frac[7] >= '5')
				fv++;
		}
		if (i % 3)
			snprintf(off, sizeof off, "%c%02d:%02d", offs < 0 ? '-' : '+',
				 abs(offs) / 3600, abs(offs) % 3600 / 60);
		else
			offs = 0;
		snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d%s%s",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 i % 2 ? 'T' : ' ', tm.tm_hour, tm.tm_min, tm.tm_sec,
			 frac, off);
		want = ((int64_t)timegm(&tm) - offs) * 1000000 + fv;
		if (ts_parse(buf, strlen(buf), &none, &us, &res, &bad, &why) != 0 ||
		    us != want) {
			if (mism++ < 3)
				fprintf(stderr, "timestamp: %s -> %lld, want %lld\n",
					buf, (long long)us, (long long)want);
		}
	}
	CHECK(mism == 0, "%d random date-times read wrongly", mism);
	/* a named zone against localtime_r: the hour after each full hour
	 * of 2026 in Berlin, skipping the DST changes */
	mism = 0;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	for (time_t t = 1767225600; t < 1798761600; t += 3600 * 7 + 61) {
		struct tm lt;
		char buf[40];
		int st;

		localtime_r(&t, &lt);
		snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d",
			 lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday,
			 lt.tm_hour, lt.tm_min, lt.tm_sec);
		st = ts_parse(buf, strlen(buf), &berlin, &us, &res, &bad, &why);
		if (lt.tm_mon == 9 && lt.tm_mday == 25 && lt.tm_hour == 2)
			continue; /* the repeated hour: refused, below */
		if (st != 0 || us != (int64_t)t * 1000000)
			mism++;
	}
	unsetenv("TZ");
	tzset();
	CHECK(mism == 0, "%d Europe/Berlin times read wrongly", mism);
	CHECK(ts_parse("2026-03-29 02:30:00", 19, &berlin, &us, &res, &bad,
		       &why) != 0, "the skipped hour is refused");
	CHECK(ts_parse("2026-10-25 02:30:00", 19, &berlin, &us, &res, &bad,
		       &why) != 0, "the repeated hour is refused");
	CHECK(ts_parse("2026-12-01 10:00:00", 19, &none, &us, &res, &bad,
		       &why) != 0, "no zone, no --tz: refused");
	CHECK(ts_parse("2026-02-29T00:00:00Z", 20, &none, &us, &res, &bad,
		       &why) != 0, "2026-02-29 does not exist");
	CHECK(ts_parse("2024-02-29T00:00:00Z", 20, &none, &us, &res, &bad,
		       &why) == 0 && us == INT64_C(1709164800000000),
	      "2024-02-29 does");
	CHECK(ts_parse("2026-12-01T10:00:00.25Z", 23, &none, &us, &res, &bad,
		       &why) == 0 && res == 10000, "two decimals: 10 ms");
	CHECK(ts_parse("2026-12-01T10:00:00+01:00x", 26, &none, &us, &res,
		       &bad, &why) != 0 && bad == 19, "junk after the zone");
	CHECK(ts_parse("2026-12-01T25:00:00Z", 20, &none, &us, &res, &bad,
		       &why) != 0, "hour 25");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* R's type 7 on sorted X, written out here (not kern_quantile_u64) */
static double type7(const uint64_t *x, size_t n, double p)
{
	double h = (double)(n - 1) * p, f = floor(h);
	size_t lo = (size_t)f;

	return lo + 1 >= n ? (double)x[n - 1]
			   : (double)x[lo] + (h - f) * ((double)x[lo + 1] - (double)x[lo]);
}

/* loghist: buckets tile the integers; a value read back is within 1/512
 * (exact below 512); quantiles within the bound of the exact ones on
 * wide, narrow and degenerate data; a merge is the histogram of all. */
static void test_loghist(void)
{
	static const double ps[] = { 0, 0.001, 0.25, 0.5, 0.9, 0.99, 0.999, 1 };
	size_t gaps = 0, far = 0;
	uint64_t lo, hi, plo, phi;

	loghist_range(0, &plo, &phi);
	for (size_t b = 1; b < LOGHIST_BUCKETS; b++) {
		loghist_range(b, &lo, &hi);
		gaps += lo != phi + 1 || hi < lo || loghist_bucket(lo) != b ||
			loghist_bucket(hi) != b;
		phi = hi;
	}
	CHECK(gaps == 0 && phi == UINT64_MAX && plo == 0,
	      "loghist: %zu buckets out of place, last ends at %" PRIu64, gaps, phi);
	for (int i = 0; i < 200000; i++) {
		uint64_t v = xorshift() >> (xorshift() % 64);
		double r = loghist_value(loghist_bucket(v));

		far += v < 512 ? r != (double)v
			       : fabs(r - (double)v) > (double)v * LOGHIST_REL_ERROR;
	}
	CHECK(far == 0, "loghist: %zu of 200000 values read back beyond 1/512", far);
	for (int kind = 0; kind < 4; kind++) {
		size_t n = kind == 3 ? 1 : 100000;
		uint64_t *x = malloc(n * sizeof *x);
		struct loghist h, a, b;
		long double sum = 0;
		size_t bad = 0;

		loghist_init(&h);
		loghist_init(&a);
		loghist_init(&b);
		for (size_t i = 0; x && i < n; i++) {
			/* 0: log-uniform over 1 us .. 1,000 s; 1: below 512
			 * (exact); 2: two values; 3: one value */
			x[i] = kind == 0   ? (uint64_t)exp((double)(xorshift() % 1000000) / 1e6 * log(1e9))
			       : kind == 1 ? xorshift() % 512
			       : kind == 2 ? (xorshift() % 2 ? 1000003 : 7)
					   : 123456789;
			sum += (long double)x[i];
			loghist_add(&h, x[i]);
			loghist_add(i % 3 ? &a : &b, x[i]);
		}
		if (!x)
			continue;
		qsort(x, n, sizeof *x, cmp_u64);
		for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) {
			double want = type7(x, n, ps[k]), got = loghist_quantile(&h, ps[k]);

			bad += kind == 1 ? got != want
				: !(fabs(got - want) <= want * LOGHIST_REL_ERROR * (1 + 1e-12));
		}
		CHECK(bad == 0 && h.n == n && h.sum == sum && h.min == x[0] && h.max == x[n - 1],
		      "loghist kind %d: %zu quantiles beyond 1/512 (or the counts differ)", kind, bad);
		loghist_merge(&a, &b);
		bad = a.n != h.n || a.sum != h.sum || a.min != h.min || a.max != h.max;
		for (size_t i = 0; i < LOGHIST_BUCKETS && !bad; i++)
			bad = a.count[i] != h.count[i];
		for (size_t k = 0; k < sizeof ps / sizeof *ps && !bad; k++)
			bad = loghist_quantile(&a, ps[k]) != loghist_quantile(&h, ps[k]);
		CHECK(!bad, "loghist kind %d: two merged halves are not the whole", kind);
		loghist_clear(&h);
		CHECK(h.n == 0 && isnan(loghist_quantile(&h, 0.5)) && h.count &&
			      h.count[loghist_bucket(x[0])] == 0,
		      "loghist: clear leaves values");
		loghist_release(&h);
		loghist_release(&a);
		loghist_release(&b);
		free(x);
	}
}

/* What batch_replay hands on, checked against what was added. */
struct bcheck {
	const struct ingest_sample *want;
	const char *const *labels[3];
	size_t n, bad;
	unsigned long last_gen;
	const char *seen_label;
};

static int bcheck_sample(void *ctx, const struct ingest_sample *s)
{
	struct bcheck *c = ctx;
	const struct ingest_sample *w = &c->want[c->n];
	int same = s->rep == w->rep && s->seq == w->seq &&
		   s->start_us == w->start_us && s->end_us == w->end_us &&
		   s->bytes == w->bytes && s->server_us == w->server_us &&
		   s->start_res_us == w->start_res_us && s->line == w->line &&
		   s->path == w->path && s->file_index == w->file_index &&
		   s->status_len == w->status_len &&
		   memcmp(s->status, w->status, s->status_len) == 0;

	for (size_t k = 0; same && k < 2; k++)
		same = (!s->labels[k] && !w->labels[k]) ||
		       (s->labels[k] && w->labels[k] &&
			strcmp(s->labels[k], w->labels[k]) == 0);
	/* the producer's generations are kept (no GEN to renumber) */
	same = same && s->labels_gen == w->labels_gen;
	c->bad += !same;
	c->n++;
	return 0;
}

static int bcheck_reject(void *ctx, const struct ingest_reject *r)
{
	struct bcheck *c = ctx;

	/* one reject, before the third sample */
	c->bad += !(c->n == 2 && r->line == 77 && r->col == 3 &&
		    strcmp(r->reason, "why") == 0 && r->rawlen == 4 &&
		    memcmp(r->raw, "a,b\n", 4) == 0);
	return 0;
}

/* The order of a batch's events, as replayed: "d" a diagnostic, "w" a
 * once-per-run warning, "r" a reject, "s" a sample. */
static char border[16];
static size_t nborder;

static void border_add(char c)
{
	if (nborder + 1 < sizeof border)
		border[nborder++] = c;
	border[nborder] = '\0';
}

static void bdiag(void *ctx, enum diag_level level, const char *file,
		  long line, long col, const char *text)
{
	(void)ctx;
	border_add(level == DIAG_WARNING && file && strcmp(file, "x.log") == 0 &&
				   line == 5 && col == 0 &&
				   strcmp(text, "careful") == 0
			   ? 'd'
			   : '?');
}

static void bwarn(void *ctx, const void *key, const char *text)
{
	border_add(key == ctx && strcmp(text, "once") == 0 ? 'w' : '?');
}

static int bsample(void *ctx, const struct ingest_sample *s)
{
	(void)ctx;
	border_add(s->rep == 9 ? 's' : '?');
	return 0;
}

static int breject(void *ctx, const struct ingest_reject *r)
{
	(void)ctx;
	border_add(r->line == 3 ? 'r' : '?');
	return 0;
}

static void test_batch_events(void)
{
	static const char *const la[] = { "a" };
	struct batch *b = calloc(1, sizeof *b);
	struct ingest_sink sink = { bsample, breject, NULL, NULL };
	struct batch_replay rp = { .sink = &sink, .warn_once = bwarn };
	struct ingest_sample smp = { .labels = la, .rep = 9, .status = "ok",
				     .status_len = 2, .path = "x.log" };
	struct ingest_reject rej = { "x.log", 3, 1, "bad", "x", 1 };

	if (!b)
		return;
	rp.warn_ctx = b;
	CHECK(batch_add_diag(b, DIAG_WARNING, "x.log", 5, 0, "careful") == 0 &&
		      batch_add_sample(b, 1, &smp) == 0 &&
		      batch_add_warn_once(b, b, "once") == 0 &&
		      batch_add_reject(b, &rej) == 0 &&
		      batch_add_sample(b, 1, &smp) == 0 &&
		      batch_add_diag(b, DIAG_WARNING, "x.log", 5, 0, "careful") == 0,
	      "events added");
	diag_capture(bdiag, NULL);
	CHECK(batch_replay(b, 1, &rp) == 0, "replayed");
	diag_capture(NULL, NULL);
	CHECK(strcmp(border, "dswrsd") == 0,
	      "events replayed as '%s' (expected dswrsd: each in its place)",
	      border);
	batch_release(b);
	free(b);
}

static void test_batch(void)
{
	static const char *const la[] = { "QEMU", NULL };
	static const char *const lb[] = { "VirtualBox", "TAP" };
	static const char p1[] = "a.log", p2[] = "b.log";
	const int64_t edge[] = { 0, 1, -1, INT64_MAX, INT64_MIN, 127, 128,
				 -128, 1196266661901000, UINT32_MAX };
	struct ingest_sample want[BATCH_ITEMS];
	struct batch *b = calloc(1, sizeof *b);
	struct bcheck c = { .want = want };
	struct ingest_sink sink = { bcheck_sample, bcheck_reject, &c, NULL };
	struct batch_replay rp = { .sink = &sink, .reject_ctx = &c };
	size_t n = BATCH_ITEMS, added = 0;

	if (!b) {
		CHECK(0, "no memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct ingest_sample *w = &want[i];
		int64_t v[8];

		for (int k = 0; k < 8; k++)
			v[k] = i < 80 ? edge[(i + (size_t)k * 3) % 10]
				      : (int64_t)(xorshift() >> (xorshift() % 64));
		memset(w, 0, sizeof *w);
		w->labels = i % 100 < 50 ? la : lb;
		w->labels_gen = i / 50;
		w->rep = v[0];
		w->seq = v[1];
		w->start_us = v[2];
		w->end_us = v[3];
		w->bytes = v[4];
		w->server_us = v[5];
		w->start_res_us = v[6];
		w->line = (long)v[7];
		w->status = i % 7 ? "ok" : "http-500";
		w->status_len = strlen(w->status);
		w->path = i % 300 < 150 ? p1 : p2;
		w->file_index = i / 1000;
		if (i == 2) {
			struct ingest_reject r = { p1, 77, 3, "why", "a,b\n", 4 };

			CHECK(batch_add_reject(b, &r) == 0, "reject added");
		}
		added += batch_add_sample(b, 2, w) == 0;
	}
	CHECK(added == n, "%zu of %zu samples added", added, n);
	CHECK(b->n == BATCH_ITEMS, "a full batch");
	CHECK(batch_replay(b, 2, &rp) == 0 && c.n == n && c.bad == 0,
	      "%zu of %zu samples (edge values, random 64-bit values, "
	      "failures, two files, two label sets) came back different",
	      c.bad, n);
	/* about 15 bytes a sample for a log's usual rows */
	batch_reset(b);
	for (size_t i = 0; i < n; i++) {
		struct ingest_sample *w = &want[i];

		memset(w, 0, sizeof *w);
		w->labels = la;
		w->rep = 1 + (int64_t)i / 1000;
		w->seq = (int64_t)i % 1000;
		w->start_us = 1196266661901000 + (int64_t)i * 1500;
		w->end_us = w->start_us + 1000 + (int64_t)(xorshift() % 400);
		w->bytes = 230;
		w->server_us = INT64_MIN;
		w->start_res_us = 1;
		w->line = 10 + (long)i;
		w->status = "ok";
		w->status_len = 2;
		w->path = p1;
		added += batch_add_sample(b, 2, w) == 0;
	}
	CHECK(added == 2 * n, "usual samples added");
	CHECK(b->clen <= 16 * n, "%zu bytes for %zu usual samples (want <= 16 "
	      "each)", b->clen, n);
	c.n = c.bad = 0;
	CHECK(batch_replay(b, 2, &rp) == 0 && c.n == n && c.bad == 0,
	      "usual samples came back different");
	batch_release(b);
	free(b);
}

/* ---- rows as text: batches of them, lines_count, the row formatter ---- */

static char ttext[1 << 16];
static size_t ttlen;

static int btext(void *ctx, const char *rows, size_t len)
{
	(void)ctx;
	border_add('t');
	if (ttlen + len <= sizeof ttext) {
		memcpy(ttext + ttlen, rows, len);
		ttlen += len;
	}
	return 0;
}

static void add_row_text(struct batch *b, const char *row)
{
	char *p = batch_text_room(b, strlen(row));

	if (p) {
		memcpy(p, row, strlen(row));
		batch_text_commit(b, p + strlen(row));
	}
}

static void test_batch_text(void)
{
	struct batch *b = calloc(1, sizeof *b);
	struct ingest_sink sink = { bsample, breject, NULL, btext };
	struct batch_replay rp = { .sink = &sink, .warn_once = bwarn };
	struct ingest_reject rej = { "x.log", 3, 1, "bad", "x", 1 };

	if (!b)
		return;
	rp.warn_ctx = b;
	CHECK(batch_add_diag(b, DIAG_WARNING, "x.log", 5, 0, "careful") == 0,
	      "diag added");
	add_row_text(b, "a,1\n");
	add_row_text(b, "a,2\n");
	CHECK(batch_add_warn_once(b, b, "once") == 0 &&
		      batch_add_reject(b, &rej) == 0, "events added");
	add_row_text(b, "a,3\n");
	CHECK(b->n == 3 && b->is_text, "three rows as text (%zu)", b->n);
	nborder = 0;
	ttlen = 0;
	diag_capture(bdiag, NULL);
	CHECK(batch_replay(b, 1, &rp) == 0, "text replayed");
	diag_capture(NULL, NULL);
	CHECK(strcmp(border, "dtwrt") == 0,
	      "rows and events replayed as '%s' (expected dtwrt: the events "
	      "between the rows they came between)", border);
	CHECK(ttlen == 12 && memcmp(ttext, "a,1\na,2\na,3\n", 12) == 0,
	      "the rows' text came back whole and in order");
	/* after a failure: the events still, the rows not */
	nborder = 0;
	ttlen = 0;
	rp.no_samples = 1;
	diag_capture(bdiag, NULL);
	CHECK(batch_replay(b, 1, &rp) == 0 && strcmp(border, "dwr") == 0 &&
		      ttlen == 0,
	      "no_samples: events '%s' (expected dwr), %zu bytes of rows",
	      border, ttlen);
	diag_capture(NULL, NULL);
	batch_reset(b);
	CHECK(b->n == 0 && b->tlen == 0 && !b->is_text, "reset");
	batch_release(b);
	free(b);
}

static void test_lines_count(void)
{
	char path[] = "/tmp/vmnetrank-unit-XXXXXX";
	int fd = mkstemp(path);
	static char data[40000];
	int bad = 0;
	long n;

	if (fd < 0) {
		CHECK(0, "no temporary file");
		return;
	}
	/* newlines in runs, alone and never, across 16-byte and 4080-byte
	 * blocks */
	for (size_t i = 0; i < sizeof data; i++) {
		uint64_t r = xorshift() % 100;

		data[i] = i >= 20000 && i < 24100 ? '\n'
			  : i >= 30000 && i < 34000 ? 'x'
			  : r < 12 ? '\n' : (char)('a' + r % 26);
	}
	CHECK(write(fd, data, sizeof data) == (ssize_t)sizeof data, "written");
	close(fd);
	for (int t = 0; t < 400; t++) {
		uint64_t from = t < 5 ? (uint64_t)t : xorshift() % sizeof data;
		uint64_t to = t < 5 ? sizeof data - (uint64_t)t
				    : from + xorshift() % (sizeof data - from + 1);
		long want = 0;

		for (uint64_t i = from; i < to; i++)
			want += data[i] == '\n';
		if (lines_count(path, from, to, &n) != 0 || n != want)
			bad++;
	}
	CHECK(bad == 0, "%d of 400 ranges counted wrong (against a byte loop)",
	      bad);
	CHECK(lines_count(path, 10, sizeof data + 1, &n) == -1,
	      "a range past the end: -1");
	unlink(path);
	CHECK(lines_count(path, 0, 10, &n) == -1, "no such file: -1");
}

/* A row as printf writes it: the formatter's independent reference. */
static size_t ref_row(char *o, size_t cap, const struct ingest_sample *s,
		      size_t nkeys, int has_server, long base)
{
	size_t n = 0;

#define PUT(...) n += (size_t)snprintf(o + n, cap - n, __VA_ARGS__)
	for (size_t k = 0; k < nkeys; k++)
		PUT("%s,", s->labels[k] ? s->labels[k] : "");
	PUT("%" PRId64 ",%" PRId64 ",", s->rep, s->seq);
	if (s->start_res_us != 0)
		PUT("%" PRId64 ",%" PRId64 ",", s->start_us, s->end_us);
	else
		PUT(",,");
	PUT("%" PRId64 ",", s->end_us - s->start_us);
	if (s->bytes != INGEST_NO_BYTES)
		PUT("%" PRId64, s->bytes);
	PUT(",%s,%s:%ld", s->status, s->path, s->line + base);
	if (has_server) {
		PUT(",");
		if (s->server_us != INGEST_NO_SERVER)
			PUT("%" PRId64, s->server_us);
	}
	PUT(",");
	if (s->start_res_us != 0)
		PUT("%" PRId64, s->start_res_us);
	PUT("\n");
#undef PUT
	return n;
}

static char rowbuf[1 << 12];

static char *row_room(void *ctx, size_t n)
{
	(void)ctx;
	return n <= sizeof rowbuf ? rowbuf : NULL;
}

/* The next value of a column whose rows mostly repeat or count up: the
 * same, one more, a jump near a power of ten, or anything. */
static int64_t next_value(int64_t v)
{
	static const int64_t near[] = { 8, 9, 98, 99, 998, 999, 9999998,
					99999999, 999999999999999,
					INT64_MAX - 1, INT64_MAX, -2, -1, 0 };
	uint64_t r = xorshift() % 100;

	if (r < 30)
		return v;
	if (r < 75 && v < INT64_MAX)
		return v + 1;
	if (r < 95)
		return near[xorshift() % (sizeof near / sizeof near[0])];
	return (int64_t)(xorshift() >> (xorshift() % 64));
}

static void test_rowfmt(void)
{
	static const char *const la[] = { "QEMU", "NAT" };
	static const char *const lb[] = { "VirtualBox", NULL };
	struct samples_rowfmt f;
	struct ingest_sample s;
	char want[1 << 12];
	int bad = 0;
	int64_t hi = 11962666619;

	for (int srv = 0; srv < 2; srv++) {
		samples_rowfmt_init(&f, 2, srv);
		f.line_base = srv ? 1000 : 0;
		memset(&s, 0, sizeof s);
		s.labels = la;
		s.path = "a.log";
		for (int i = 0; i < 20000; i++) {
			uint64_t r = xorshift() % 100;
			char *end;
			size_t wn;

			if (r < 2) { /* other labels, another file */
				s.labels = s.labels == la ? lb : la;
				s.labels_gen++;
			} else if (r < 4) {
				s.path = s.path[0] == 'a' ? "b.log" : "a.log";
				s.file_index++;
			}
			s.rep = next_value(s.rep);
			s.seq = next_value(s.seq);
			s.line = (long)(next_value(s.line) % 1000000000);
			s.bytes = xorshift() % 10 == 0 ? INGEST_NO_BYTES
						       : next_value(s.bytes);
			s.server_us = xorshift() % 3 ? INGEST_NO_SERVER
						     : (int64_t)(xorshift() % 100000);
			/* stamps whose top digits the start and end and the rows
			 * after them share, or not; small, huge and none */
			hi += (int64_t)(xorshift() % 3);
			r = xorshift() % 100;
			s.start_us = r < 3	? (int64_t)(xorshift() % 100000000)
				     : r < 5	? INT64_C(10000000000000000) +
						  (int64_t)(xorshift() % 1000)
				     : r < 7	? -(int64_t)(xorshift() % 1000)
						: hi * 100000000 + 99999000 +
						  (int64_t)(xorshift() % 1000);
			s.end_us = s.start_us + (int64_t)(xorshift() % 3000);
			s.start_res_us = r < 90 ? 1 : r < 95 ? 0 : 100000;
			if (s.start_res_us == 0)
				s.start_us = 0;
			s.status = r % 7 ? "ok" : "http-500";
			s.status_len = strlen(s.status);
			end = samples_rowfmt_put(&f, &s, row_room, NULL);
			wn = ref_row(want, sizeof want, &s, 2, srv, f.line_base);
			if (!end || (size_t)(end - rowbuf) != wn ||
			    memcmp(rowbuf, want, wn) != 0) {
				if (bad++ == 0)
					fprintf(stderr, "row %d: '%.*s' != '%s'\n", i,
						end ? (int)(end - rowbuf) : 0,
						rowbuf, want);
			}
		}
		samples_rowfmt_release(&f);
	}
	CHECK(bad == 0,
	      "%d of 40,000 rows differ from printf's (values that repeat, "
	      "count up across 9s, jump, go negative; shared and unshared "
	      "stamp digits; two label sets and files; with and without a "
	      "server column)", bad);
}

int main(void)
{
	test_fmt_i64();
	test_parse_i64();
	test_scaled();
	test_opts();
	test_status();
	test_csvread();
	test_csvread_ints();
	test_csvout();
	test_csvout_shortest();
	test_outfile();
	test_timestamp();
	test_loghist();
	test_batch();
	test_batch_events();
	test_batch_text();
	test_lines_count();
	test_rowfmt();
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
