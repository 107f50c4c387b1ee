/* What the delimited formats' files share (fmt_delim.c: maps and the
 * header; fmt_delim_rows.c: rows and detection; fmt_presets.c: the
 * runners' presets): a file's layout, its column names, a preset. */
#ifndef VMNETRANK_FMT_DELIM_H
#define VMNETRANK_FMT_DELIM_H

#include "ingest_int.h"
#include "../lib/csvread.h"

enum role {
	R_START,
	R_END,
	R_DURATION,
	R_REP,
	R_SEQ,
	R_BYTES,
	R_STATUS,
	R_SERVER,
	R_WARMUP,
	NROLES
};

/* each role's --map name, default column and whether it is a time (a
 * unit, default us); defined in fmt_delim.c */
struct role_info {
	const char *field;  /* name in --map */
	const char *column; /* default column name */
	int time;           /* a time: takes a unit, default us */
};
extern const struct role_info delim_roles[NROLES];

struct layout {
	long col[NROLES]; /* column index, -1 when absent */
	int pow10[NROLES];
	size_t ncols;
	long *labelcol; /* per rowkey of the file */
	long header_line;
	int strict_int; /* native: integer microseconds only */
	int dur_only;   /* a duration and no start or end: no stamps */
	int headerless; /* the first row is data (--no-header, presets) */
	const struct preset *pre;
	long aux[3];    /* the preset's extra columns, -1 when absent */
	long skip_col;  /* the preset's column marking rows to skip */
};

/* The names of a file's columns: its header row, a preset's list for a
 * file without one, or none at all (--no-header: numbers only). */
struct names {
	const struct csvfield *f;
	size_t n;
	struct csvfield own[32];
};

#define UNIT_ISO 100 /* a date-time (lib/timestamp.h), not a number */

enum { PH_YES, PH_NO, PH_MAYBE };

struct preset {
	const char *name, *tool;
	unsigned char delim;
	int header;                     /* PH_*: does the file have one */
	const char *const *cols;        /* the runner's columns, in order */
	const char *const *maps;        /* its --map lines */
	const char *aux[3];             /* extra columns the status reads */
	int (*status)(const struct csvread *r, const struct layout *lo,
		      char *buf, size_t cap, const char **s, size_t *n);
	const char *skip_col, *skip_prefix; /* rows to leave out */
	const char *skip_what;
	const char *warning;            /* said once, whatever the files */
	int rep_per_row;                /* each row is one repetition */
};

/* One parsed --map. */
struct map {
	const char *field;
	size_t flen;
	const char *column;
	size_t clen;
	int pow10; /* -100: not given; UNIT_ISO: a date-time */
};


/* shared between the stage's files (split by concern) */
struct ifile;
struct ingest;
struct labelcols;
int delim_read_header(struct ingest *ing, struct ifile *f, struct csvread *r,
		       struct layout *lo, struct labelcols *lc, int native,
		       const struct preset *pre);
int delim_open_reader(struct ingest *ing, struct ifile *f, struct csvread *r,
		       unsigned char delim, int native);
int delim_scan_common(struct ingest *ing, struct ifile *f,
		       unsigned char delim, int native, const struct preset *pre);
int delim_read_common(struct ingest *ing, struct ifile *f,
		       unsigned char delim, int native, const struct preset *pre);
size_t delim_first_line(const char *s, size_t n);

struct labelcols {
	const char *key[64];
	size_t klen[64];
	long col[64];
	size_t n;
};

/* the native, csv and tsv readers' scan step (fmt_delim.c) */
int delim_scan_native(struct ingest *ing, struct ifile *f);
int delim_scan_csv(struct ingest *ing, struct ifile *f);
int delim_scan_tsv(struct ingest *ing, struct ifile *f);

#endif
