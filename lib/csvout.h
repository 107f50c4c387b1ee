/*
 * csvout: buffered CSV writing for the stage outputs.
 *
 * Fields that need it (a comma, a quote, a line break, or blanks at either
 * end, which the reader would trim) are quoted by libcsv's csv_write();
 * numbers are formatted without printf.  Write errors are sticky and
 * reported by csvout_flush().
 */
#ifndef VMNETRANK_CSVOUT_H
#define VMNETRANK_CSVOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct csvout {
	FILE *fp;
	char *buf;
	size_t len, cap;
	int nfields; /* fields written in the current row */
	int err;
};

void csvout_init(struct csvout *w, FILE *fp);
void csvout_release(struct csvout *w);

void csvout_str(struct csvout *w, const char *s, size_t n);
void csvout_cstr(struct csvout *w, const char *s);
void csvout_i64(struct csvout *w, int64_t v);
void csvout_empty(struct csvout *w);
/* A double in the shortest decimal form that reads back (strtod) to the
 * same double, at most 17 significant digits; NaN and infinities are
 * written as empty fields. */
void csvout_double(struct csvout *w, double v);
/* The text csvout_double() writes (no terminating NUL is promised), into
 * OUT of at least CSVOUT_DOUBLE_MAX bytes; its length, 0 for NaN and
 * infinities. Byte for byte the shortest of printf's %.15g, %.16g and
 * %.17g that strtod reads back as V, from one printf in nearly all cases. */
#define CSVOUT_DOUBLE_MAX 40
int csvout_shortest(char *out, double v);
/* COUNT fields already formatted as CSV text (e.g. a cached prefix). */
void csvout_preformatted(struct csvout *w, const char *s, size_t n,
			 int count);
void csvout_endrow(struct csvout *w);
/* A row the caller formats itself, at the start of a row: room for N
 * bytes at the end of the buffer (NULL after an error), then
 * csvout_row_commit() with the end of what it wrote, the row's "\n"
 * included. */
char *csvout_row_room(struct csvout *w, size_t n);
void csvout_row_commit(struct csvout *w, const char *end);
/* Whole rows already formatted (each ending in "\n"), at the start of
 * a row. */
void csvout_rows(struct csvout *w, const char *s, size_t n);
/* A whole row of the NULL-terminated texts COLS (a header row). */
void csvout_row(struct csvout *w, const char *const *cols);

/* Format one field as CSV text into DST (quoted if needed); returns the
 * length, or (size_t)-1 when DST (of size CAP) is too small. */
size_t csvout_format(char *dst, size_t cap, const char *s, size_t n);

/* Write out the buffer; 0, or -1 when a write failed. */
int csvout_flush(struct csvout *w);

#endif
