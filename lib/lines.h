/*
 * lines: read a text file line by line, fast, in bounded memory.
 *
 * A UTF-8 byte order mark at the start is skipped; "\n" and "\r\n" line
 * ends are accepted (the "\r" is not part of the line).  A line is valid
 * until the next call.  A regular file is mapped read-only a 16 MiB window
 * at a time (no copy, bounded resident memory); anything else is read with
 * read(2) in large blocks.  The file is never modified.
 */
#ifndef VMNETRANK_LINES_H
#define VMNETRANK_LINES_H

#include <stddef.h>
#include <stdint.h>

struct lines {
	int fd;
	char *buf;
	size_t cap, pos, end;
	long lineno;       /* number of the line last returned, from 1 */
	int eof;
	int at_start;      /* BOM not yet checked */
	int no_newline;    /* the line last returned had no "\n" */
	int unread;        /* lines_next() returns the same line again */
	const char *line;  /* the line last returned */
	size_t len;
	uint64_t bytes;    /* bytes read from the file so far */
	void *map;         /* the mapped window of a regular file, or NULL */
	size_t maplen;
	uint64_t mapoff;   /* file offset of the window */
	uint64_t size;     /* file size when mapped */
	size_t next_win;   /* the length of the next window (0: the usual) */
	char watch;        /* lines_watch(): the byte to look out for */
	int special;       /* the line last returned may hold WATCH or NUL */
	size_t clean_to;   /* buf[pos_of_line .. clean_to) holds neither */
	void (*feed)(void *ctx, const void *p, size_t n); /* lines_feed() */
	void *feed_ctx;
	uint64_t fed;      /* bytes fed, from offset 0 on */
	int fed_broken;    /* FEED did not see the file from its start */
	const char *error; /* why lines_next() returned -1 */
	int err_errno;
};

/* 0, or -1 with L->error and L->err_errno set. */
int lines_open(struct lines *L, const char *path);

/* Only the bytes [FROM, TO) of a regular file (mapped); FROM should be the
 * start of a line.  Line numbers then count from FROM. */
int lines_open_range(struct lines *L, const char *path, uint64_t from,
		     uint64_t to);

/* The "\n" bytes in [FROM, TO) of the file at PATH, into *N: 0, or -1
 * when it could not be read (or holds fewer bytes). */
int lines_count(const char *path, uint64_t from, uint64_t to, long *n);

/* The file offset of the next byte lines_next() will look at. */
uint64_t lines_offset(const struct lines *L);

/* 1 with the line and its length set; 0 at the end; -1 on a read error or a line over
 * 16 MiB (L->error says which). */
int lines_next(struct lines *L, const char **line, size_t *len);

/* Look out for byte C (and NUL): after each lines_next(), L->special is 0
 * when the line holds neither.  The buffer is searched once per block, not
 * once per line. */
void lines_watch(struct lines *L, char c);

/* Go on from file offset OFF (the start of a line), numbering the line
 * there LINENO + 1: a mapped regular file only; 0, or -1 (not mapped, OFF
 * past the end, or the map failed).  Feeding stops (lines_fed_all() is 0).
 * UNTIL, when past OFF, is where the caller means to stop: the window
 * mapped there reaches little further (reading on past it still works). */
int lines_seek(struct lines *L, uint64_t off, long lineno, uint64_t until);

/* Make the next lines_next() return the line it last returned. */
void lines_unread(struct lines *L);

void lines_close(struct lines *L);

/* Hand every byte of the file, in order, to FEED(CTX, ...) as it is mapped
 * or read: a digest computed in the parse's own pass, not a second read.
 * Call it right after lines_open(), before the first lines_next(); a NULL
 * FEED stops the feeding. */
void lines_feed(struct lines *L, void (*feed)(void *ctx, const void *p, size_t n),
		void *ctx);

/* 1 when FEED has seen the whole file from its first byte to its end (the
 * reader went on to the end), else 0. */
int lines_fed_all(const struct lines *L);

#endif
