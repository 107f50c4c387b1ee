/*
 * diag: the one place diagnostics are printed.
 *
 * Every message reads "vmnetrank: FILE:LINE:COL: LEVEL: TEXT" (the location
 * parts that are unknown are left out).  The module remembers the worst
 * level seen; diag_exit_status() turns it into the process exit status:
 * 0 for nothing or warnings only, 1 for errors, 2 for usage errors.
 *
 * Errors beyond the limit (20 by default) are counted, not printed;
 * diag_finish() prints how many were left out.  Stage code reports through
 * here and returns -1; only main() and cmd_*() turn that into an exit.
 */
#ifndef VMNETRANK_DIAG_H
#define VMNETRANK_DIAG_H

#include <stdarg.h>
#include <stdio.h>

enum diag_level {
	DIAG_NOTE = 0,
	DIAG_WARNING,
	DIAG_ERROR,
	DIAG_USAGE
};

/* The name messages start with ("vmnetrank" unless set). */
void diag_set_program(const char *name);
const char *diag_program(void);

/* Message with a location; line and col may be 0 (unknown). */
void diag_at(enum diag_level level, const char *file, long line, long col,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Message without a location. */
void diag(enum diag_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Number of messages of this level reported (printed or not). */
long diag_count(enum diag_level level);

/* How many errors are printed before the rest are only counted. */
void diag_set_limit(long limit);

/* Print the count of errors that were not shown, if any. */
void diag_finish(void);

/* 0, 1 or 2 from the worst level seen. */
int diag_exit_status(void);

/* printf to FP for a person at a terminal: control characters that data
 * (labels, file names) may hold are written escaped (\n, \r, \t, \xHH),
 * so no escape sequence from a log reaches the terminal and no newline in
 * a label forges a line.  A newline at the end is kept.  diag() writes
 * through the same filter. */
void term_printf(FILE *fp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Capture this thread's messages instead of printing them: while FN is
 * set, every diag() and diag_at() on the calling thread hands FN the
 * formatted text (at most 4095 bytes, as printed) and is neither printed
 * nor counted; the thread that replays them calls diag_at(LEVEL, FILE,
 * LINE, COL, "%s", TEXT) in their order.  NULL ends the capture.  Ingest's
 * parsing workers use it so that messages come out in file order.
 */
typedef void (*diag_capture_fn)(void *ctx, enum diag_level level,
				const char *file, long line, long col,
				const char *text);
void diag_capture(diag_capture_fn fn, void *ctx);

/* Forget everything (for tests and for `run`, which chains stages). */
void diag_reset(void);

#endif
