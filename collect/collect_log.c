/* vmnetrank-collect: the native log it writes (a temporary renamed into
 * place, missing folders made) and its header: labels, host, kernel,
 * clock, the command quoted. */
#include "collect.h"
#include "../lib/diag.h"
#include "../lib/labels.h"
#include "../lib/opts.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

void collect_log_write(struct logw *w, const char *s, size_t n)
{
	while (n > 0 && !w->failed) {
		ssize_t k = write(w->fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			diag(DIAG_ERROR, "cannot write the log %s: %s",
			     w->path ? w->path : "(stdout)", strerror(errno));
			w->failed = 1;
			return;
		}
		s += k;
		n -= (size_t)k;
	}
}

void collect_log_printf(struct logw *w, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	collect_log_write(w, buf, (size_t)n);
}

/* mkdir -p of PATH's folder. */
static int make_parents(const char *path)
{
	char *p = strdup(path);
	int rc = 0;

	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		*s = '/';
	}
	free(p);
	return rc;
}

int collect_log_open(struct logw *w, const char *path, int force)
{
	w->failed = 0;
	w->path = path;
	if (!path) {
		w->fd = 1;
		return 0;
	}
	if (make_parents(path) != 0) {
		diag(DIAG_ERROR, "cannot make the folders of %s: %s", path,
		     strerror(errno));
		return -1;
	}
	w->fd = open(path,
		     O_WRONLY | O_CREAT | O_CLOEXEC |
			     (force ? O_TRUNC : O_EXCL),
		     0644);
	if (w->fd < 0) {
		if (errno == EEXIST)
			diag(DIAG_USAGE,
			     "%s exists; a raw log is never overwritten "
			     "unless --force",
			     path);
		else
			diag(DIAG_ERROR, "cannot create %s: %s", path,
			     strerror(errno));
		return -1;
	}
	return 0;
}

/* The command line, quoted for a POSIX shell where needed. */
static void quote_args(char *buf, size_t cap, int argc, char **argv)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < argc && len + 8 < cap; i++) {
		const char *a = argv[i];
		int plain = *a != '\0';

		for (const char *p = a; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789-_./:=,+@%", *p))
				plain = 0;
		if (i)
			buf[len++] = ' ';
		if (plain) {
			len += (size_t)snprintf(buf + len, cap - len, "%s", a);
		} else {
			buf[len++] = '\'';
			for (const char *p = a; *p && len + 6 < cap; p++) {
				if (*p == '\'') {
					memcpy(buf + len, "'\\''", 4);
					len += 4;
				} else if ((unsigned char)*p < 0x20) {
					buf[len++] = '?';
				} else {
					buf[len++] = *p;
				}
			}
			buf[len++] = '\'';
		}
		if (len >= cap)
			len = cap - 1;
		buf[len] = '\0';
	}
}

void collect_iso_time(char *buf, size_t cap, const struct timespec *ts)
{
	struct tm tm;
	char day[32];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, cap, "%s.%06ldZ", day, ts->tv_nsec / 1000);
}

static long clock_res_ns(clockid_t id)
{
	struct timespec r;

	if (clock_getres(id, &r) != 0)
		return -1;
	return r.tv_sec * 1000000000L + r.tv_nsec;
}

/* The kernel's clock source ("tsc", "kvm-clock"...), which says much about
 * timing inside a guest; "" when unknown. */
static void clocksource(char *buf, size_t cap)
{
	int fd = open("/sys/devices/system/clocksource/clocksource0/"
		      "current_clocksource",
		      O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;

	buf[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
}

void collect_write_header(struct logw *w, const struct collector *c,
			 const char *const *labels, size_t nlabels, int argc,
			 char **argv, const struct timespec *started)
{
	struct utsname u;
	char host[256], when[64], cs[64];
	char *cmd = malloc(8192);

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	collect_log_printf(w, "# vmnetrank-log 1\n");
	collect_log_printf(w, "# tool=vmnetrank-collect %s\n", c->mode->name);
	collect_log_printf(w, "# collector=vmnetrank-collect\n");
	collect_log_printf(w, "# version=%s\n", VMNETRANK_VERSION);
	collect_log_printf(w, "# host=%s\n", host);
	if (uname(&u) == 0)
		collect_log_printf(w, "# kernel=%s %s %s\n", u.sysname, u.release,
			   u.machine);
	if (cmd) {
		quote_args(cmd, 8192, argc, argv);
		collect_log_printf(w, "# command=%s\n", cmd);
		free(cmd);
	}
	collect_iso_time(when, sizeof when, started);
	collect_log_printf(w, "# started=%s\n", when);
	collect_log_printf(w, "# clock=start CLOCK_REALTIME; end = start + elapsed "
		      "CLOCK_MONOTONIC\n");
	collect_log_printf(w, "# clock_res_ns=%ld\n", clock_res_ns(CLOCK_MONOTONIC));
	collect_log_printf(w, "# meta.realtime_res_ns=%ld\n",
		   clock_res_ns(CLOCK_REALTIME));
	clocksource(cs, sizeof cs);
	if (cs[0])
		collect_log_printf(w, "# meta.clocksource=%s\n", cs);
	collect_log_printf(w, "# meta.mode=%s\n", c->mode->name);
	if (c->target)
		collect_log_printf(w, "# meta.target=%s\n", c->target);
	collect_log_printf(w, "# meta.reps=%ld\n# meta.ops=%ld\n# meta.warmup=%ld\n",
		   c->reps, c->ops, c->warmup);
	if (c->pause_ms)
		collect_log_printf(w, "# meta.pause_ms=%ld\n", c->pause_ms);
	for (size_t i = 0; i < nlabels; i++)
		collect_log_printf(w, "# %s\n", labels[i]);
	collect_log_printf(w, "rep,seq,start_us,end_us,bytes,status,warmup\n");
}

/* ---- results ---- */
