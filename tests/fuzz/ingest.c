/* Fuzz target: ingest's formats.  Byte 0 picks the format (auto or one of
 * ingest_format_names()), byte 1 the options (--keep-going, the libcsv
 * path for every line, --include-warmup, two threads, --tz UTC, and
 * --label direction/workload, so that the runners' files, which carry
 * neither, are read to their rows); the rest is the log. */
#include "fuzz.h"
#include "../../ingest/ingest.h"

static int on_sample(void *ctx, const struct ingest_sample *s)
{
	(void)s;
	++*(long *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *names = ingest_format_names();
	size_t nf = 0;
	struct ingest_options o;
	struct ingest *ing;
	long count = 0;
	struct ingest_sink sink = { on_sample, NULL, &count, NULL };
	static FILE *devnull;
	const char *path;

	if (size < 2)
		return 0;
	while (names[nf])
		nf++;
	fuzz_reset();
	memset(&o, 0, sizeof o);
	o.format = data[0] % (nf + 1) == nf ? NULL : names[data[0] % (nf + 1)];
	o.keep_going = data[1] & 1;
	o.no_fast_path = (data[1] >> 1) & 1;
	o.include_warmup = (data[1] >> 2) & 1;
	o.threads = (data[1] >> 3) & 1 ? 2 : 1;
	o.date = "2007-11-28";
	if ((data[1] >> 4) & 1)
		o.tz = "UTC";
	if (!((data[1] >> 5) & 1)) {
		static const char *const labels[] = { "direction=internal",
						      "workload=w" };

		o.labels = labels;
		o.nlabels = 2;
	}
	o.now_us = 1796083200000000; /* 2026-12-01 */
	path = fuzz_file(0, "input.log", data + 2, size - 2);
	ing = ingest_new(&o);
	if (!ing)
		return 0;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	/* the whole stage, samples.csv and rejects formatted too */
	if (ingest_add_path(ing, path) == 0 && ingest_prepare(ing) == 0)
		ingest_write_samples(ing, devnull, devnull, &sink);
	ingest_free(ing);
	return 0;
}
