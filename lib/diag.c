#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static long counts[DIAG_USAGE + 1];
static long limit = 20;
static long shown_errors;
static long hidden_errors;
static enum diag_level worst = DIAG_NOTE;
static const char *program = "vmnetrank";
static _Thread_local diag_capture_fn capture;
static _Thread_local void *capture_ctx;

void diag_capture(diag_capture_fn fn, void *ctx)
{
	capture = fn;
	capture_ctx = ctx;
}

void diag_set_program(const char *name)
{
	program = name;
}

const char *diag_program(void)
{
	return program;
}

static const char *const level_names[] = {
	[DIAG_NOTE] = "note",
	[DIAG_WARNING] = "warning",
	[DIAG_ERROR] = "error",
	[DIAG_USAGE] = "error",
};

/* Write S with every control character but a final newline escaped as
 * C writes it (\n, \r, \t, \xHH): no byte from a log can start a line,
 * forge a message or reach the terminal as an escape sequence. */
static void put_safe(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' && s[1] == '\0')
			fputc(c, fp);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
}

static void vput_safe(FILE *fp, const char *fmt, va_list ap)
{
	char buf[4096];

	vsnprintf(buf, sizeof buf, fmt, ap);
	put_safe(fp, buf);
}

void term_printf(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput_safe(fp, fmt, ap);
	va_end(ap);
}

static void vreport(enum diag_level level, const char *file, long line,
		    long col, const char *fmt, va_list ap)
{
	if (capture) {
		char buf[4096];

		vsnprintf(buf, sizeof buf, fmt, ap);
		capture(capture_ctx, level, file, line, col, buf);
		return;
	}
	counts[level]++;
	if (level > worst)
		worst = level;
	if (level == DIAG_ERROR) {
		if (shown_errors >= limit) {
			hidden_errors++;
			return;
		}
		shown_errors++;
	}
	fprintf(stderr, "%s: ", program);
	if (file) {
		put_safe(stderr, file);
		if (line > 0) {
			fprintf(stderr, ":%ld", line);
			if (col > 0)
				fprintf(stderr, ":%ld", col);
		}
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: ", level_names[level]);
	vput_safe(stderr, fmt, ap);
	fputc('\n', stderr);
}

void diag_at(enum diag_level level, const char *file, long line, long col,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(level, file, line, col, fmt, ap);
	va_end(ap);
}

void diag(enum diag_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(level, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

long diag_count(enum diag_level level)
{
	return counts[level];
}

void diag_set_limit(long n)
{
	limit = n;
}

void diag_finish(void)
{
	if (hidden_errors > 0) {
		fprintf(stderr,
			"%s: error: %ld more error%s not shown "
			"(%ld in all)\n",
			program, hidden_errors, hidden_errors == 1 ? "" : "s",
			counts[DIAG_ERROR]);
		hidden_errors = 0;
	}
}

int diag_exit_status(void)
{
	switch (worst) {
	case DIAG_USAGE:
		return 2;
	case DIAG_ERROR:
		return 1;
	default:
		return 0;
	}
}

void diag_reset(void)
{
	for (int i = 0; i <= DIAG_USAGE; i++)
		counts[i] = 0;
	shown_errors = hidden_errors = 0;
	worst = DIAG_NOTE;
}
