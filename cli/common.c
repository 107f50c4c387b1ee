/*
 * the helpers the commands share: option values (levels, counts,
 * shares, percentages, thread counts), output folders, a stage run all or
 * nothing, and the command line as a shell would take it back.
 */
#include "cli.h"
#include "../lib/diag.h"
#include "../lib/outdir.h"
#include "../lib/outfile.h"
#include "../report/report.h"
#include "../stats/rank.h"
#include "../stats/stats.h"
#include "../stats/weights.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_threads(const char *arg, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno == 0 && end != arg && *end == '\0' && arg[0] != '-' &&
	    arg[0] != '+' && v >= 1 && v <= CLI_THREADS_MAX) {
		*out = (int)v;
		return 0;
	}
	diag(DIAG_USAGE, "--threads '%s': expected a number of threads from "
	     "1 to %d", arg, CLI_THREADS_MAX);
	return -1;
}

int cli_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > CLI_THREADS_MAX ? CLI_THREADS_MAX : (int)n;
}

/* "0.95" -> 0.95; 0 < C < 1.  OPT names the option in the message. */
int cli_level(const char *cmd, const char *opt, const char *arg,
	      double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno || !(v > 0 && v < 1)) {
		diag(DIAG_USAGE,
		     "%s: %s '%s': expected a number between 0 and 1, e.g. "
		     "%s",
		     cmd, opt, arg, strcmp(opt, "--alpha") ? "0.95" : "0.05");
		return -1;
	}
	*out = v;
	return 0;
}

/* The folder of PATH ("." when it has none). */
char *cli_folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	char *d = malloc(n + 1);

	if (!d)
		return NULL;
	if (!slash)
		memcpy(d, ".", 1);
	else if (n == 0)
		memcpy(d, "/", (n = 1));
	else
		memcpy(d, path, n);
	d[n] = '\0';
	return d;
}

/* An output folder: made, with its missing parents, when it does not
 * exist (as mkdir -p). */
int cli_output_folder(const char *dir)
{
	struct stat st;
	char *p;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		diag_at(DIAG_ERROR, dir, 0, 0, "not a folder");
		return -1;
	}
	p = strdup(dir);
	if (!p) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (char *q = p + 1;; q++) {
		int end = *q == '\0';

		if (*q != '/' && !end)
			continue;
		*q = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_at(DIAG_ERROR, p, 0, 0, "cannot make the folder: %s",
				strerror(errno));
			free(p);
			return -1;
		}
		if (end)
			break;
		*q = '/';
	}
	free(p);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_at(DIAG_ERROR, dir, 0, 0, "cannot make the folder: %s",
			"a part of the path is not a folder");
		return -1;
	}
	return 0;
}

int cli_stats_stage(const struct stage_args *a, const char *to)
{
	return stats_write(a->t, a->so, to);
}

int cli_rank_stage(const struct stage_args *a, const char *to)
{
	return rank_run(a->in, a->ro, to);
}

int cli_report_stage(const struct stage_args *a, const char *to)
{
	return report_run(a->in, a->po, to);
}

/* DIR holds both stage files A and B (readable). */
int cli_has_files(const char *dir, const char *a, const char *b)
{
	char *pa = outfile_path(dir, a), *pb = outfile_path(dir, b);
	int ok = pa && pb && access(pa, R_OK) == 0 && access(pb, R_OK) == 0;

	free(pa);
	free(pb);
	return ok;
}

int cli_staged(const char *dir, int owns_charts,
	       int (*fn)(const struct stage_args *, const char *),
	       const struct stage_args *a)
{
	struct outdir od;
	int rc = -1;

	long errors = diag_count(DIAG_ERROR);

	if (outdir_begin(&od, dir) != 0)
		return -1;
	/* an error reported is a failed stage, whatever it returned */
	if (fn(a, od.stage) == 0 && diag_count(DIAG_ERROR) == errors &&
	    outdir_commit(&od, owns_charts) == 0)
		rc = 0;
	outdir_end(&od);
	return rc;
}

int cli_count(const char *what, const char *arg, unsigned long max,
	      unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg == '\0' || *arg == '-' || *end != '\0' || errno || v > max) {
		diag(DIAG_USAGE, "rank: %s '%s': expected a whole number from 0 "
				 "to %lu",
		     what, arg, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* --max-failed SHARE: 0 <= SHARE <= 1. */
int cli_share(const char *cmd, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (*arg == '\0' || *end != '\0' || errno || !(v >= 0 && v <= 1)) {
		diag(DIAG_USAGE,
		     "%s: --max-failed '%s': expected a share from 0 to 1, "
		     "e.g. 0.01 for 1%%",
		     cmd, arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* --share WORKLOAD=P: the form and the share here (exit 2); the workload
 * is checked against the data by rank. */
int cli_share_option(const char *cmd, const char *arg)
{
	const char *eq = strchr(arg, '=');
	double v;
	int rc;

	if (!eq || eq == arg) {
		diag(DIAG_USAGE, "%s: --share '%s': expected WORKLOAD=P, e.g. "
				 "web=0.2 or web=20%%",
		     cmd, arg);
		return -1;
	}
	if ((rc = weights_share(eq + 1, &v)) != 0) {
		diag(DIAG_USAGE, "%s: --share '%s': %s", cmd, arg,
		     weights_share_why(rc));
		return -1;
	}
	return 0;
}

/* --shares P,P,...: shares (fractions or percentages), at most 101, into
 * a malloc'd *OUT. */
int cli_whatif(const char *cmd, const char *arg, double **out,
	       size_t *n)
{
	const char *s = arg;

	free(*out);
	*out = malloc(101 * sizeof **out);
	*n = 0;
	if (!*out) {
		diag(DIAG_ERROR, "out of memory");
		return -1;
	}
	for (;;) {
		size_t len = strcspn(s, ",");
		char item[64];
		int rc = -1;

		if (len > 0 && len < sizeof item) {
			memcpy(item, s, len);
			item[len] = '\0';
			rc = *n < 101 ? weights_share(item, &(*out)[*n]) : -3;
		}
		if (rc != 0) {
			diag(DIAG_USAGE, "%s: --shares '%s': item %zu '%.*s': %s",
			     cmd, arg, *n + 1, (int)len, s,
			     rc == -3 ? "more than 101 shares"
				      : weights_share_why(rc == -2 ? -2 : -1));
			return -1;
		}
		++*n;
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

/* --margin PCT (0 <= PCT < 50) and --detect PCT (0 < PCT < 100): a
 * percentage, "1" or "1%", into a fraction. */
int cli_pct(const char *cmd, const char *opt, const char *arg,
	    double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (*arg == '\0' || *end != '\0' || errno || !(v >= lo && v < hi) ||
	    (lo == 0 && strcmp(opt, "--detect") == 0 && v == 0)) {
		diag(DIAG_USAGE,
		     "%s: %s '%s': expected a percentage from %g to under %g, "
		     "e.g. %s",
		     cmd, opt, arg, lo, hi,
		     strcmp(opt, "--margin") ? "10 for 10%" : "1 for 1%");
		return -1;
	}
	*out = v / 100;
	return 0;
}

/* The command as a shell would take it back: each word that holds more
 * than letters, digits and _./=:,@%+- in single quotes (a quote inside as
 * '\''), so the report's command can be pasted. */
char *cli_command_line(int argc, char **argv)
{
	size_t n = 16;
	char *s, *o;

	for (int i = 0; i < argc; i++)
		n += 4 * strlen(argv[i]) + 4;
	s = malloc(n);
	if (!s)
		return NULL;
	o = s + sprintf(s, "vmnetrank");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int plain = *a != '\0' &&
			    a[strspn(a, "abcdefghijklmnopqrstuvwxyz"
				       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				       "_./=:,@%+-")] == '\0';

		*o++ = ' ';
		if (plain) {
			o += sprintf(o, "%s", a);
			continue;
		}
		*o++ = '\'';
		for (; *a; a++)
			if (*a == '\'')
				o += sprintf(o, "'\\''");
			else
				*o++ = *a;
		*o++ = '\'';
		*o = '\0';
	}
	return s;
}
