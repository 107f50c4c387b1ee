#define _POSIX_C_SOURCE 200809L
#include "lines.h"
#include "outfile.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (1u << 20)
#define MAX_LINE (16u << 20)
/* Regular files are mapped a window at a time: no copy out of the page
 * cache, and resident memory bounded by the window, not the file. */
#define WINDOW ((size_t)16 << 20)
/* The first window of a file is smaller: a reader that stops after the
 * head of a file (a format's scan, a part's header) then maps 256 KiB,
 * not 16 MiB (MAP_POPULATE maps every page of a window at once). */
#define FIRST_WINDOW ((size_t)256 << 10)
#define WINDOW_SLACK ((size_t)64 << 10)

/* FEED is handed the mapped bytes a little ahead of the line being read
 * (as lines_next() moves on), not a window at a time: a reader that stops
 * after the head of a file then costs FEED 256 KiB, not 16 MiB. */
#define FEED_AHEAD ((uint64_t)256 << 10)
#define WATCH_AHEAD ((size_t)64 << 10)

static void feed_ahead(struct lines *L)
{
	uint64_t to = L->mapoff + L->pos + FEED_AHEAD;

	if (!L->feed || L->fed_broken || !L->map)
		return;
	if (L->mapoff > L->fed) {
		L->fed_broken = 1;
		return;
	}
	if (to > L->mapoff + L->maplen)
		to = L->mapoff + L->maplen;
	if (to > L->fed) {
		L->feed(L->feed_ctx, (const char *)L->map + (L->fed - L->mapoff),
			(size_t)(to - L->fed));
		L->fed = to;
	}
}

void lines_feed(struct lines *L, void (*feed)(void *ctx, const void *p, size_t n),
		void *ctx)
{
	L->feed = feed;
	L->feed_ctx = ctx;
	L->fed = 0;
	/* a range, or a read that has begun, started past the first byte */
	L->fed_broken = L->map ? L->mapoff != 0 : L->bytes != 0;
}

int lines_fed_all(const struct lines *L)
{
	if (!L->feed || L->fed_broken)
		return 0;
	return L->map ? L->fed == L->size : L->eof && L->fed == L->bytes;
}

/* The "\n" bytes of P[0, N). */
static long count_newlines(const char *p, size_t n)
{
	long c = 0;
	size_t i = 0;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');

	/* per byte lane, minus one for each newline (255 blocks at most
	 * before a lane could wrap), then the lanes summed */
	while (i + 16 <= n) {
		__m128i acc = _mm_setzero_si128(), sums;
		size_t stop = n - i >= 255 * 16 ? i + 255 * 16 : i + (n - i) / 16 * 16;

		for (; i < stop; i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
				_mm_loadu_si128((const __m128i *)(p + i)), nl));
		sums = _mm_sad_epu8(acc, _mm_setzero_si128());
		c += _mm_cvtsi128_si32(sums) +
		     _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
	}
#endif
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Map the window that starts at the page holding file offset OFF. */
static int map_window(struct lines *L, uint64_t off)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t start = off - off % (uint64_t)page;
	size_t len = L->next_win ? L->next_win : WINDOW;
	void *m;

	L->next_win = 0;
	if (start + len > L->size)
		len = (size_t)(L->size - start);
	if (L->map)
		munmap(L->map, L->maplen);
	L->map = NULL;
	m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, L->fd,
		 (off_t)start);
	if (m == MAP_FAILED) {
		L->error = "cannot map";
		L->err_errno = errno;
		return -1;
	}
	madvise(m, len, MADV_SEQUENTIAL);
	L->map = m;
	L->maplen = len;
	L->mapoff = start;
	L->buf = m;
	L->pos = (size_t)(off - start);
	L->end = len;
	L->bytes = start + len;
	if (start + len >= L->size)
		L->eof = 1;
	feed_ahead(L);
	return 0;
}

/* Clear L and open PATH; 0, or -1 with L->error set. */
static int open_file(struct lines *L, const char *path)
{
	memset(L, 0, sizeof *L);
	L->fd = open(path, O_RDONLY);
	if (L->fd >= 0)
		outfile_note_input_fd(L->fd);
	if (L->fd < 0) {
		L->error = "cannot open";
		L->err_errno = errno;
		return -1;
	}
	return 0;
}

int lines_open_range(struct lines *L, const char *path, uint64_t from,
		     uint64_t to)
{
	if (open_file(L, path) != 0)
		return -1;
	L->size = to;
	if (to <= from) {
		L->eof = 1;
		L->buf = malloc(1);
		return L->buf ? 0 : -1;
	}
	return map_window(L, from);
}

int lines_count(const char *path, uint64_t from, uint64_t to, long *n)
{
	struct lines L;
	struct stat st;
	int rc = -1;

	*n = 0;
	if (from >= to)
		return 0;
	/* mapped a window at a time, as lines_next() reads (no copy out of
	 * the page cache), the windows ending at TO */
	if (lines_open_range(&L, path, from, to) == 0 &&
	    fstat(L.fd, &st) == 0 && (uint64_t)st.st_size >= to) {
		for (;;) {
			*n += count_newlines(L.buf + L.pos, L.end - L.pos);
			if (L.mapoff + L.maplen >= to) {
				rc = 0;
				break;
			}
			if (map_window(&L, L.mapoff + L.maplen) != 0)
				break;
		}
	}
	lines_close(&L);
	return rc;
}

uint64_t lines_offset(const struct lines *L)
{
	return L->map ? L->mapoff + L->pos : L->bytes - (L->end - L->pos);
}

int lines_open(struct lines *L, const char *path)
{
	struct stat st;

	if (open_file(L, path) != 0)
		return -1;
	if (fstat(L->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		L->size = (uint64_t)st.st_size;
		L->next_win = FIRST_WINDOW;
		if (map_window(L, 0) == 0) {
			if (L->end >= 3 && memcmp(L->buf, "\xEF\xBB\xBF", 3) == 0)
				L->pos = 3;
			return 0;
		}
		/* fall back to reading */
		L->error = NULL;
		L->size = 0;
		L->eof = 0;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(L->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	L->cap = BLOCK;
	L->buf = malloc(L->cap);
	if (!L->buf) {
		close(L->fd);
		L->fd = -1;
		L->error = "out of memory";
		return -1;
	}
	L->at_start = 1;
	return 0;
}

int lines_seek(struct lines *L, uint64_t off, long lineno, uint64_t until)
{
	if (!L->map || off > L->size)
		return -1;
	L->fed_broken = 1;
	L->eof = 0;
	L->unread = 0;
	L->at_start = 0;
	if (until > off && until - off < WINDOW - WINDOW_SLACK)
		L->next_win = (size_t)(until - off) + WINDOW_SLACK;
	if (off == L->size) {
		L->pos = L->end;
		L->eof = 1;
	} else if (map_window(L, off) != 0) {
		return -1;
	}
	L->clean_to = 0;
	L->lineno = lineno;
	return 0;
}

void lines_close(struct lines *L)
{
	if (L->fd >= 0)
		close(L->fd);
	if (L->map) {
		munmap(L->map, L->maplen);
		L->buf = NULL;
	}
	free(L->buf);
	L->buf = NULL;
	L->fd = -1;
}

void lines_watch(struct lines *L, char c)
{
	L->watch = c;
	L->clean_to = 0;
}

void lines_unread(struct lines *L)
{
	L->unread = 1;
}

/* Read more data; 1 if some was read, 0 at end of file, -1 on error. */
static int fill(struct lines *L)
{
	ssize_t n;

	if (L->map) {
		/* slide the window to start at the unfinished line */
		uint64_t off = L->mapoff + L->pos;
		size_t before = L->pos;

		if (L->eof)
			return 0;
		if (map_window(L, off) != 0)
			return -1;
		if (L->pos == before && L->end <= before) {
			L->error = "line longer than 16 MiB";
			return -1;
		}
		L->clean_to = L->clean_to > before - L->pos
				      ? L->clean_to - (before - L->pos)
				      : 0;
		return 1;
	}

	if (L->pos > 0) {
		memmove(L->buf, L->buf + L->pos, L->end - L->pos);
		L->end -= L->pos;
		L->clean_to = L->clean_to > L->pos ? L->clean_to - L->pos : 0;
		L->pos = 0;
	}
	if (L->end == L->cap) {
		char *nb;

		if (L->cap >= MAX_LINE) {
			L->error = "line longer than 16 MiB";
			return -1;
		}
		nb = realloc(L->buf, L->cap * 2);
		if (!nb) {
			L->error = "out of memory";
			return -1;
		}
		L->buf = nb;
		L->cap *= 2;
	}
	do
		n = read(L->fd, L->buf + L->end, L->cap - L->end);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		L->error = "read error";
		L->err_errno = errno;
		return -1;
	}
	if (n == 0) {
		L->eof = 1;
		L->at_start = 0;
		return 0;
	}
	if (L->feed && !L->fed_broken) {
		L->feed(L->feed_ctx, L->buf + L->end, (size_t)n);
		L->fed += (uint64_t)n;
	}
	L->end += (size_t)n;
	L->bytes += (uint64_t)n;
	if (L->at_start && L->end >= 3) {
		if (memcmp(L->buf, "\xEF\xBB\xBF", 3) == 0)
			L->pos = 3;
		L->at_start = 0;
	}
	return 1;
}

/* memchr(s, '\n', n), inline: a timing log's lines are a few tens of
 * bytes, where the call costs more than the search. */
static inline char *find_newline(char *s, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');

	for (; i + 16 <= n && i < 128; i += 16) {
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(s + i)), nl));

		if (mask)
			return s + i + __builtin_ctz(mask);
	}
#endif
	return memchr(s + i, '\n', n - i);
}

int lines_next(struct lines *L, const char **line, size_t *len)
{
	size_t scanned = 0;

	if (L->unread) {
		L->unread = 0;
		*line = L->line;
		*len = L->len;
		return 1;
	}
	if (L->feed && L->map && L->mapoff + L->pos + FEED_AHEAD / 2 > L->fed)
		feed_ahead(L);
	for (;;) {
		char *s = L->buf + L->pos;
		size_t avail = L->end - L->pos;
		char *nl = find_newline(s + scanned, avail - scanned);
		size_t n;

		if (nl) {
			n = (size_t)(nl - s);
			L->pos += n + 1;
			L->no_newline = 0;
		} else if (L->eof) {
			if (avail == 0)
				return 0;
			n = avail;
			L->pos = L->end;
			L->no_newline = 1;
		} else {
			scanned = avail;
			if (fill(L) < 0)
				return -1;
			/* a BOM skipped at the very start moves pos by 3, but
			 * then nothing had been scanned */
			if (scanned > L->end - L->pos)
				scanned = L->end - L->pos;
			continue;
		}
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (L->watch) {
			size_t b = (size_t)(s - L->buf), e = b + n;

			if (e > L->clean_to) {
				/* search on from the line for the first WATCH
				 * or NUL, WATCH_AHEAD bytes past it at most:
				 * bytes still in the cache when they are
				 * parsed */
				size_t lim = L->end - b;
				const char *q, *z;
				size_t c;

				if (lim > n + WATCH_AHEAD)
					lim = n + WATCH_AHEAD;
				q = memchr(s, L->watch, lim);
				z = memchr(s, '\0', lim);
				c = b + lim;

				if (q && (size_t)(q - L->buf) < c)
					c = (size_t)(q - L->buf);
				if (z && (size_t)(z - L->buf) < c)
					c = (size_t)(z - L->buf);
				L->clean_to = c;
			}
			L->special = e > L->clean_to;
		}
		L->line = s;
		L->len = n;
		L->lineno++;
		*line = s;
		*len = n;
		return 1;
	}
}
