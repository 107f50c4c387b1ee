/*
 * vmnetrank-collect: the thin collector (libc only; see README
 * "vmnetrank-collect").
 *
 * collect.c owns the command line, collect_log.c the log, collect_loop.c
 * the timing loop, signals and progress; each mode supplies the timed
 * operation:
 *   collect_http.c   http
 *   collect_net.c    tcp, tcp-sink (and the connections both use)
 *   collect_local.c  exec, files
 * A mode's op() runs one operation and fills a result: the bytes it
 * moved and "ok" or a short failure token ("http-500", "refused",
 * "exit-1", ...).  The core takes the clocks around op(), so everything
 * op() does is inside the measured time.
 */
#ifndef VMNETRANK_COLLECT_H
#define VMNETRANK_COLLECT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define COLLECT_STATUS_MAX 48

struct op_result {
	int64_t bytes;                  /* -1: not known */
	char status[COLLECT_STATUS_MAX]; /* "ok" or what failed */
};

struct op_sink;

struct collector {
	const struct mode *mode;
	const char *target;  /* the operand: URL, DIR, HOST:PORT */
	char **cmd;          /* exec: the command and its arguments */
	long reps, ops, warmup, pause_ms, max_failures;
	int ops_given;
	long timeout_ms;     /* 0: none */
	long concurrency;    /* operations in flight at once (1: one) */
	/* http */
	int connect_each;
	const char *expect;
	int64_t max_body;     /* 0: no limit */
	/* exec */
	int keep_output;
	/* files */
	int files_read;
	long make_n;          /* 0: --make not given */
	int64_t make_size;
	int keep_files;
	/* tcp */
	int64_t tcp_bytes;
	void *state;          /* the mode's own */
};

struct mode {
	const char *name;
	const char *operand;  /* what the operand is, for messages; NULL: none */
	const char *summary;
	/* Before the header is written: check the target, prepare; may set
	 * c->ops.  0, 1 (cannot run: a message was printed) or 2 (usage). */
	int (*setup)(struct collector *c);
	/* One timed operation.  WARMUP is 1 for a warm-up one. */
	void (*op)(struct collector *c, long rep, long seq, int warmup,
		   struct op_result *r);
	/* Untimed, after each repetition (NULL: nothing). */
	void (*after_rep)(struct collector *c, long rep);
	/* Untimed, at the end (NULL: nothing). */
	void (*teardown)(struct collector *c);
	/* A mode that is a server rather than a measured client (tcp-sink):
	 * run() replaces the whole loop; returns the exit status. */
	int (*run)(struct collector *c);
	/* --concurrency N > 1: run operations 1..COUNT of a repetition
	 * keeping up to N in flight (setup() prepared them), each timed from
	 * its start to its end and handed to SINK as it ends; returns when
	 * all that started have ended, or at once, abandoning them, when
	 * collect_abort is set.  NULL: the mode runs one operation at a
	 * time. */
	void (*batch)(struct collector *c, long count, struct op_sink *sink);
};

/* Where a batch's operations go as they end (collect_loop.c). */
struct op_sink {
	/* log it; -1: start no more operations */
	int (*ended)(struct op_sink *k, long seq, const struct op_result *r,
		     int64_t start_us, int64_t end_us, int64_t done_ns);
	/* before the batch waits: write out what has ended */
	void (*flush)(struct op_sink *k);
};

extern const struct mode mode_http, mode_tcp, mode_tcp_sink, mode_exec,
	mode_files;

/* Set by the signal handlers: the first SIGINT asks to stop after the
 * operation in flight (collect_stop holds the signal number); a second
 * one, or a SIGTERM, aborts that operation too (collect_abort). */
extern volatile sig_atomic_t collect_stop, collect_abort;

/* Fill R's status: "ok", or a token; formatted like printf. */
void result_status(struct op_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A short token for an errno value ("refused", "timeout", "errno-5"),
 * prefixed by WHAT- when WHAT is not NULL. */
void result_errno(struct op_result *r, const char *what, int err);

/* CLOCK_MONOTONIC now, in nanoseconds (collect_loop.c). */
int64_t collect_mono_ns(void);
/* An operation's end_us: its start (CLOCK_REALTIME, microseconds) plus the
 * CLOCK_MONOTONIC nanoseconds it lasted, rounded to the microsecond. */
static inline int64_t collect_end_us(int64_t start_us, int64_t elapsed_ns)
{
	return start_us + (elapsed_ns + 500) / 1000;
}

/* Parse a size with an optional K, M or G suffix (powers of 1024);
 * 0, or -1 when it is not one. */
int collect_parse_size(const char *s, int64_t *out);

/* the log being written: a temporary beside its path, renamed when the
 * run ends (collect_log.c) */
struct logw {
	int fd;
	const char *path; /* NULL: stdout */
	int failed;
};


/* shared between the collector's files */
struct timespec;
void collect_log_write(struct logw *w, const char *s, size_t n);
void collect_log_printf(struct logw *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int collect_log_open(struct logw *w, const char *path, int force);
void collect_iso_time(char *buf, size_t cap, const struct timespec *ts);
void collect_write_header(struct logw *w, const struct collector *c,
			 const char *const *labels, size_t nlabels, int argc,
			 char **argv, const struct timespec *started);
/* collect_loop.c: SIGINT and SIGTERM set collect_stop / collect_abort;
 * the warm-up and the repetitions run, each line written to W (SHOW: a
 * progress line on stderr); the exit status. */
void collect_install_signals(void);
int collect_run_loop(struct collector *c, struct logw *w, int show);

#endif
