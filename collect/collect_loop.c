/*
 * vmnetrank-collect's loop: warm-up operations (rep 0, warmup = 1), then R
 * repetitions of N operations, each timed around the mode's op() and its
 * line written as soon as it ends; the signals that stop it; the progress
 * line.  See collect.c for the clocks and what a signal does.
 */
#include "collect.h"
#include "../lib/diag.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- the log's lines ---- */

void result_status(struct op_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->status, sizeof r->status, fmt, ap);
	va_end(ap);
}

void result_errno(struct op_result *r, const char *what, int err)
{
	const char *name;

	switch (err) {
	case ECONNREFUSED: name = "refused"; break;
	case ECONNRESET: name = "reset"; break;
	case ETIMEDOUT:
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case EINPROGRESS: name = "timeout"; break;
	case EHOSTUNREACH: name = "host-unreachable"; break;
	case ENETUNREACH: name = "net-unreachable"; break;
	case EPIPE: name = "closed"; break;
	case ENOENT: name = "no-such-file"; break;
	case EACCES:
	case EPERM: name = "permission-denied"; break;
	case ENOSPC: name = "no-space"; break;
	case EIO: name = "io-error"; break;
	case EADDRNOTAVAIL: name = "no-address"; break;
	case EMFILE:
	case ENFILE: name = "too-many-files"; break;
	default: name = NULL; break;
	}
	if (name)
		result_status(r, "%s%s%s", what ? what : "", what ? "-" : "",
			      name);
	else
		result_status(r, "%s%serrno-%d", what ? what : "",
			      what ? "-" : "", err);
}

/* One log line: rep,seq,start,end,bytes,status,warmup. */
static size_t format_line(char *buf, long rep, long seq, int64_t start,
			  int64_t end, const struct op_result *r, int warmup)
{
	char bytes[24] = "";
	char status[COLLECT_STATUS_MAX];
	size_t i;

	/* a status is a token: nothing that needs CSV quoting */
	for (i = 0; r->status[i] && i < sizeof status - 1; i++) {
		char ch = r->status[i];

		status[i] = (ch == ',' || ch == '"' || ch == '\n' ||
			     ch == '\r' || ch == ' ')
				    ? '_'
				    : ch;
	}
	status[i] = '\0';
	if (r->bytes >= 0)
		snprintf(bytes, sizeof bytes, "%lld", (long long)r->bytes);
	return (size_t)sprintf(buf, "%ld,%ld,%lld,%lld,%s,%s,%d\n", rep, seq,
			       (long long)start, (long long)end, bytes,
			       status[0] ? status : "ok", warmup);
}

/* ---- signals ---- */

/* SIGINT (a person at the terminal): finish the operation in flight,
 * then stop; a second one abandons it.  SIGTERM (kill, timeout(1), a
 * service manager): stop now, abandoning the operation in flight. */
static void on_signal(int sig)
{
	if (collect_stop || sig == SIGTERM)
		collect_abort = 1;
	if (!collect_stop)
		collect_stop = sig;
}

void collect_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking calls see EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ---- progress ---- */

struct progress {
	int on;
	int64_t t0_ns, last_ns;
	long done, total;
	int shown;
};

int64_t collect_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void progress_show(struct progress *p, const struct collector *c,
			  long rep, long seq, int64_t now, int final)
{
	double el, rate, left;

	if (!p->on || (!final && now - p->last_ns < 250000000))
		return;
	p->last_ns = now;
	el = (double)(now - p->t0_ns) / 1e9;
	rate = el > 0 ? (double)p->done / el : 0;
	left = rate > 0 ? (double)(p->total - p->done) / rate : 0;
	left += (double)(c->reps - (rep > 0 ? rep : 1)) * (double)c->pause_ms /
		1000.0;
	fprintf(stderr,
		"\r%srep %ld/%ld  op %ld/%ld  %.0f ops/s  %ld:%02ld left   ",
		rep == 0 ? "warm-up " : "", rep, c->reps, seq,
		rep == 0 ? c->warmup : c->ops, rate, (long)left / 60,
		(long)left % 60);
	if (final)
		fputc('\n', stderr);
	p->shown = 1;
}

/* ---- the loop ---- */

struct loop {
	struct collector *c;
	struct logw *w;
	struct progress prog;
	long last_rep, last_seq; /* the last operation logged */
	long failed, in_a_row, total;
	int stopped_failures;
};

/* Count one logged operation; 0, or -1 to stop. */
static int count_op(struct loop *L, long rep, long seq,
		    const struct op_result *r, int64_t done_ns)
{
	L->last_rep = rep;
	L->last_seq = seq;
	L->total++;
	L->prog.done++;
	if (r->status[0] && strcmp(r->status, "ok") != 0) {
		L->failed++;
		L->in_a_row++;
		if (L->c->max_failures && L->in_a_row >= L->c->max_failures) {
			L->stopped_failures = 1;
			return -1;
		}
	} else {
		L->in_a_row = 0;
	}
	progress_show(&L->prog, L->c, rep, seq, done_ns, 0);
	return collect_stop ? -1 : 0;
}

/* Run and log one operation; 0, or -1 to stop. */
static int one_op(struct loop *L, long rep, long seq, int warmup)
{
	struct timespec rt, m0, m1;
	struct op_result r;
	int64_t start, el;
	char line[256];

	r.bytes = -1;
	r.status[0] = '\0';
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &m0);
	L->c->mode->op(L->c, rep, seq, warmup, &r);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	if (collect_abort)
		return -1; /* abandoned in flight: not logged */
	start = (int64_t)rt.tv_sec * 1000000 + rt.tv_nsec / 1000;
	el = ((int64_t)m1.tv_sec - m0.tv_sec) * 1000000000 +
	     (m1.tv_nsec - m0.tv_nsec);
	collect_log_write(L->w, line,
		  format_line(line, rep, seq, start, collect_end_us(start, el),
			      &r, warmup));
	if (L->w->failed)
		return -1;
	return count_op(L, rep, seq, &r,
			(int64_t)m1.tv_sec * 1000000000 + m1.tv_nsec);
}

/* ---- --concurrency N: the mode's batch, N operations in flight ----
 *
 * The mode (http: an event loop over N connections) times each operation
 * on its own and hands it here as it ends; its line is held with the
 * others that ended in the same turn of the mode's loop and they are
 * written together before the mode waits again (one write() a turn, not
 * one a line: at 100k operations a second the write()s were a third of
 * the client's CPU). */

struct batch_sink {
	struct op_sink k; /* first: the mode gets &k */
	struct loop *L;
	long rep;
	int warmup, stop;
	char buf[64 * 1024];
	size_t n;
};

static void sink_flush(struct op_sink *k)
{
	struct batch_sink *b = (struct batch_sink *)k;

	if (b->n)
		collect_log_write(b->L->w, b->buf, b->n);
	b->n = 0;
}

static int sink_ended(struct op_sink *k, long seq, const struct op_result *r,
		      int64_t start, int64_t end, int64_t done_ns)
{
	struct batch_sink *b = (struct batch_sink *)k;

	if (b->L->w->failed)
		return -1;
	if (sizeof b->buf - b->n < 256)
		sink_flush(k);
	b->n += format_line(b->buf + b->n, b->rep, seq, start, end, r,
			    b->warmup);
	if (count_op(b->L, b->rep, seq, r, done_ns) != 0)
		b->stop = 1;
	return b->stop ? -1 : 0;
}

/* Operations 1..COUNT of REP, one at a time or in the mode's batch. */
static int run_batch(struct loop *L, long rep, long count, int warmup)
{
	int rc = 0;

	if (L->c->concurrency > 1 && L->c->mode->batch) {
		struct batch_sink b;

		b.k.ended = sink_ended;
		b.k.flush = sink_flush;
		b.L = L;
		b.rep = rep;
		b.warmup = warmup;
		b.stop = 0;
		b.n = 0;
		L->c->mode->batch(L->c, count, &b.k);
		sink_flush(&b.k);
		return b.stop || collect_stop || collect_abort || L->w->failed
			       ? -1
			       : 0;
	}
	for (long seq = 1; seq <= count && rc == 0; seq++)
		rc = one_op(L, rep, seq, warmup);
	return rc;
}

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	/* a signal ends the pause early; the loop then stops */
	nanosleep(&t, NULL);
}

int collect_run_loop(struct collector *c, struct logw *w, int show)
{
	struct loop L;
	int rc = 0;
	struct timespec now;

	memset(&L, 0, sizeof L);
	L.c = c;
	L.w = w;
	L.prog.on = show;
	L.prog.t0_ns = collect_mono_ns();
	L.prog.total = c->warmup + c->reps * c->ops;
	if (c->warmup && !collect_stop)
		rc = run_batch(&L, 0, c->warmup, 1);
	if (c->warmup && c->mode->after_rep)
		c->mode->after_rep(c, 0);
	for (long rep = 1; rep <= c->reps && rc == 0 && !collect_stop; rep++) {
		if (rep > 1 && c->pause_ms) {
			pause_ms(c->pause_ms);
			if (collect_stop)
				break;
		}
		rc = run_batch(&L, rep, c->ops, 0);
		if (c->mode->after_rep)
			c->mode->after_rep(c, rep);
	}
	if (L.prog.shown || (show && L.total))
		progress_show(&L.prog, c, L.last_rep, L.last_seq, collect_mono_ns(), 1);
	clock_gettime(CLOCK_REALTIME, &now);
	if (collect_stop || collect_abort) {
		int sig = collect_stop ? (int)collect_stop : SIGINT;

		if (L.total == 0)
			collect_log_printf(w, "# interrupted before the first operation "
				      "ended\n");
		else
			collect_log_printf(w, "# interrupted after rep %ld op %ld (%s%s)\n",
			   L.last_rep, L.last_seq,
			   sig == SIGTERM ? "SIGTERM" : "SIGINT",
			   collect_abort ? "; the operation in flight was "
					   "abandoned and is not logged"
					 : "");
		diag(DIAG_WARNING,
		     "interrupted after rep %ld op %ld; %ld operations "
		     "logged",
		     L.last_rep, L.last_seq, L.total);
		return 128 + sig;
	}
	if (L.stopped_failures) {
		collect_log_printf(w,
			   "# interrupted after rep %ld op %ld: %ld "
			   "operations in a row failed (--max-failures %ld)\n",
			   L.last_rep, L.last_seq, L.in_a_row,
			   c->max_failures);
		diag(DIAG_ERROR,
		     "stopped: %ld operations in a row failed (--max-failures "
		     "%ld); the log ends at rep %ld op %ld",
		     L.in_a_row, c->max_failures, L.last_rep, L.last_seq);
		return 1;
	}
	if (w->failed)
		return 1;
	{
		char when[64];

		collect_iso_time(when, sizeof when, &now);
		collect_log_printf(w, "# finished %s: %ld operations, %ld failed\n",
			   when, L.total, L.failed);
	}
	if (L.failed) {
		diag(DIAG_ERROR, "%ld of %ld operations failed (each is in "
				   "the log with its status)",
		     L.failed, L.total);
		return 1;
	}
	return w->failed ? 1 : 0;
}
