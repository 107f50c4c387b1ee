/* Fuzz target: a --sources file (ingest/sources.c) and the options its
 * lines carry, through ingest_prepare.  The input is the sources file; it
 * may name log.csv, a small valid csv log written beside it, and ., its
 * folder.  Slashes are changed to '_' first, and the files live one
 * folder down in the fuzz folder, so that ".." (quotes can join "." and
 * ".") stays inside it: a sources file may name any folder, and walking
 * / (or another process's files as they are rewritten) is not what is
 * fuzzed here. */
#include "fuzz.h"
#include "../../ingest/ingest.h"

#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char log[] = "rep,seq,start_us,end_us,when\n"
				  "1,1,1796083100000000,1796083100000500,"
				  "2026-12-01 10:00:00\n";
	struct ingest_options o;
	struct ingest *ing;
	const char *path;

	uint8_t *copy = malloc(size + 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	for (size_t i = 0; i < size; i++)
		if (copy[i] == '/')
			copy[i] = '_';
	fuzz_reset();
	{
		char sub[128];

		snprintf(sub, sizeof sub, "%s/in", fuzz_dir());
		mkdir(sub, 0700);
	}
	fuzz_file(1, "in/log.csv", (const uint8_t *)log, sizeof log - 1);
	path = fuzz_file(0, "in/sources.txt", copy, size);
	free(copy);
	memset(&o, 0, sizeof o);
	o.now_us = 1796083200000000; /* 2026-12-01 */
	ing = ingest_new(&o);
	if (!ing)
		return 0;
	if (ingest_add_sources(ing, path) == 0 && ingest_prepare(ing) == 0)
		ingest_write_samples(ing, NULL, NULL, NULL);
	ingest_free(ing);
	return 0;
}
