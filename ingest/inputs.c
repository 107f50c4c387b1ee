/* inputs.csv: what went into a run, for the report's provenance. */
#define _POSIX_C_SOURCE 200809L
#include "ingest_int.h"
#include "../lib/csvout.h"
#include "../lib/diag.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void hex_digest(struct sha256_ctx *ctx, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];

	sha256_digest(ctx, SHA256_DIGEST_SIZE, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

static void feed_sha(void *ctx, const void *p, size_t n)
{
	sha256_update(&((struct ifile *)ctx)->sha, n, p);
}

void ingest_hash_attach(struct ingest *ing, struct ifile *f, struct lines *L)
{
	if (!ingest_opts(ing)->digests || f->sha_done || f->sha_by)
		return; /* hashed, or another reader is feeding it */
	sha256_init(&f->sha);
	f->sha_by = L;
	lines_feed(L, feed_sha, f);
}

void ingest_hash_drop(struct ifile *f, struct lines *L)
{
	if (f->sha_by != L)
		return;
	f->sha_by = NULL;
	lines_feed(L, NULL, NULL);
}

void ingest_hash_finish(struct ifile *f, struct lines *L)
{
	if (f->sha_by != L)
		return;
	f->sha_by = NULL;
	if (lines_fed_all(L)) {
		hex_digest(&f->sha, f->sha_hex);
		f->sha_done = 1;
	}
}

/* SHA-256 of PATH as 64 hex digits; 0, or -1 with a diagnostic naming
 * SHOWN. */
static int sha256_file(const char *path, const char *shown, char hex[65])
{
	struct sha256_ctx ctx;
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (!buf || fd < 0) {
		diag_at(DIAG_ERROR, shown, 0, 0, "cannot read: %s",
			strerror(errno));
		free(buf);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	sha256_init(&ctx);
	while ((n = read(fd, buf, cap)) > 0)
		sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
	close(fd);
	free(buf);
	if (n < 0) {
		diag_at(DIAG_ERROR, shown, 0, 0, "read error: %s",
			strerror(errno));
		return -1;
	}
	hex_digest(&ctx, hex);
	return 0;
}

int ingest_write_inputs(struct ingest *ing, FILE *out)
{
	struct csvout w;
	static const char *const cols[] = { "path", "format", "bytes",
					    "sha256", "rows", "rejected",
					    "warmup", "failed", "interrupted",
					    "left_out", "start_res_us", "meta",
					    NULL };
	int rc = 0;

	csvout_init(&w, out);
	csvout_row(&w, cols);
	for (size_t i = 0; i < ingest_nfiles(ing); i++) {
		const struct ifile *f = ingest_ifile(ing, i);
		struct stat st;
		char hex[65], *meta = NULL;
		size_t len = 0;

		if (stat(ifile_open_path(f), &st) != 0) {
			diag_at(DIAG_ERROR, f->path, 0, 0, "cannot read: %s",
				strerror(errno));
			rc = -1;
			continue;
		}
		if (f->sha_done)
			memcpy(hex, f->sha_hex, sizeof hex);
		else if (sha256_file(ifile_open_path(f), f->path, hex) != 0) {
			rc = -1;
			continue;
		}
		for (size_t k = 0; k < f->meta.n; k++) {
			size_t add = strlen(f->meta.v[k].key) +
				     strlen(f->meta.v[k].value) + 3;
			char *nm = realloc(meta, len + add + 1);

			if (!nm) {
				rc = -1;
				break;
			}
			meta = nm;
			len += (size_t)sprintf(meta + len, "%s%s=%s", len ? "; " : "",
					       f->meta.v[k].key, f->meta.v[k].value);
		}
		csvout_cstr(&w, f->path);
		csvout_cstr(&w, f->fmt ? f->fmt->name : "");
		csvout_i64(&w, (int64_t)st.st_size);
		csvout_cstr(&w, hex);
		csvout_i64(&w, f->rows);
		csvout_i64(&w, f->rejected);
		csvout_i64(&w, f->warmup);
		csvout_i64(&w, f->failed);
		csvout_cstr(&w, f->interrupted ? "yes" : "no");
		csvout_i64(&w, f->left_out);
		if (f->start_res < INT64_MAX)
			csvout_i64(&w, f->start_res);
		else
			csvout_empty(&w);
		csvout_cstr(&w, meta ? meta : "");
		csvout_endrow(&w);
		free(meta);
	}
	if (csvout_flush(&w) != 0)
		rc = -1;
	csvout_release(&w);
	return rc;
}
