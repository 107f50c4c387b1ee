/*
 * Shared by the fuzz targets (make fuzz; README "Fuzzing"): each target
 * writes its input to a file in a private folder on /dev/shm (the parsers
 * read files, as the commands do) and calls the parser as the command
 * would.  Diagnostics and the output registry are reset per input.
 */
#ifndef VMNETRANK_FUZZ_H
#define VMNETRANK_FUZZ_H

#include "../../lib/diag.h"
#include "../../lib/outfile.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The private folder, made once (removed at exit). */
static char fuzz_folder[64];

static void fuzz_cleanup(void)
{
	char cmd[128];

	if (fuzz_folder[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_folder);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: cannot remove %s\n", fuzz_folder);
	}
}

static const char *fuzz_dir(void)
{
	if (!fuzz_folder[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

		snprintf(fuzz_folder, sizeof fuzz_folder, "%s/vmnetrank-fuzz.XXXXXX", base);
		if (!mkdtemp(fuzz_folder))
			abort();
		atexit(fuzz_cleanup);
	}
	return fuzz_folder;
}

/* Write N bytes to NAME in the folder; the path (static storage per
 * slot 0..3). */
static const char *fuzz_file(int slot, const char *name, const uint8_t *d, size_t n)
{
	static char path[4][256];
	FILE *f;

	snprintf(path[slot], sizeof path[slot], "%s/%s", fuzz_dir(), name);
	f = fopen(path[slot], "wb");
	if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f) != 0)
		abort();
	return path[slot];
}

static void fuzz_reset(void)
{
	diag_reset();
	diag_set_limit(5);
	outfile_forget_all();
}

#endif
