/*
 * csvread: records of a delimited text file (CSV, TSV), with positions.
 *
 * libcsv is the parser.  Because most rows of a timing log hold only
 * numbers, a line that contains no quote character and does not continue
 * a quoted field is split directly (the "fast path"); every other line goes
 * through libcsv.  Both give the same fields: unquoted fields lose leading
 * and trailing blanks (spaces, and tabs when the delimiter is not a tab),
 * blank lines are skipped, "\n" is the only record terminator.  The test
 * suite runs the same inputs with the fast path off and requires identical
 * output (csvread_open(..., fast = 0)).
 *
 * Every field carries the line and the byte column where it starts, so a
 * bad value can be reported as FILE:LINE:COL.
 */
#ifndef VMNETRANK_CSVREAD_H
#define VMNETRANK_CSVREAD_H

#include <csv.h>
#include <stddef.h>

#include "lines.h"

struct csvfield {
	const char *s; /* not NUL-terminated */
	size_t len;
	long line;
	long col;
};

enum csvread_result {
	CSVREAD_ERROR = -1,
	CSVREAD_EOF = 0,
	CSVREAD_ROW = 1,
	CSVREAD_COMMENT = 2
};

struct csvread {
	struct lines L;
	unsigned char delim;
	char comment; /* lines starting with it are comments; 0: none */
	int fast;

	struct csv_parser parser;
	int in_record; /* a quoted field continues on the next line */
	int row_done;

	struct csvfield *f;
	size_t nf, capf;
	size_t *foff; /* slow path: field offsets in the arena */
	char *arena;
	size_t alen, acap;

	/* the record as it stands in the file (lines joined by "\n") */
	const char *raw;
	size_t rawlen;
	char *rawbuf;
	size_t rawbuflen, rawbufcap;
	long rec_line;    /* first line of the record */
	int no_newline;   /* the record ends the file without a newline */

	/* CSVREAD_ERROR: what, and where */
	const char *error;
	long err_line, err_col;

	size_t *dpos; /* fast path: delimiter offsets in the line */
	size_t ndpos, capdpos;

	long fast_rows, slow_rows;

	/* csvread_int_columns(): fields the fast path also reads as numbers */
	uint64_t imask;
	uint64_t ivalid; /* bit k: f[k] is plain digits, its value in ival[k] */
	int64_t ival[64];
};

/* 0, or -1 with r->error set (from the line reader). */
int csvread_open(struct csvread *r, const char *path, unsigned char delim,
		 char comment, int fast);

/* Records of the bytes [FROM, TO) of a regular file only; FROM must start a
 * record (line numbers count from it). */
int csvread_open_range(struct csvread *r, const char *path,
		       unsigned char delim, char comment, uint64_t from,
		       uint64_t to);

/*
 * The next record: CSVREAD_ROW with r->f[0..nf) and r->raw; a comment line
 * (CSVREAD_COMMENT, the line in r->raw); CSVREAD_EOF; or CSVREAD_ERROR with
 * r->error, r->err_line, r->err_col and the offending text in r->raw.
 * After an error of the data (not of reading) the next call goes on with
 * the following line.
 */
int csvread_next(struct csvread *r);

/*
 * Columns (bit k: field k, k < 64) that the fast path reads as integers in
 * the same pass as it splits the line: after csvread_next(), bit k of
 * r->ivalid is set when field k was 1 to 18 ASCII digits and nothing else
 * (no sign, no blanks), and r->ival[k] is then its value, the one
 * num_i64() gives.  A clear bit says nothing: the caller parses r->f[k]
 * itself (and reports what is wrong with it).  The fields are the same
 * either way.
 */
void csvread_int_columns(struct csvread *r, uint64_t mask);

/* The underlying line reader, to read a free-form header before the rows
 * (use lines_unread() to hand back the first row). */
static inline struct lines *csvread_lines(struct csvread *r)
{
	return &r->L;
}

void csvread_close(struct csvread *r);

/* The index of the field equal to NAME in the current record (a header
 * row), or -1. */
long csvread_column(const struct csvread *r, const char *name);

#endif
