/* Fuzz target: the readers of what another machine or engine wrote --
 * shards (ingest --partial) and repetition rows (stats REPS.csv) -- and
 * the statistics on what they read.  Byte 0: bit 0 the input is
 * repetition rows, else a shard; bit 1 --exact-ops 100 (shards) ; bit 2
 * two threads; the rest is the file. */
#include "fuzz.h"
#include "../../stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats_options o = { 0.95, 0, 1, NULL, STATS_EXACT_OPS,
				   STATS_HOLD_OPS };
	struct stats_table *t;
	const char *path;

	if (size < 1)
		return 0;
	fuzz_reset();
	o.exact_ops = (data[0] >> 1) & 1 ? 100 : STATS_EXACT_OPS;
	o.threads = (data[0] >> 2) & 1 ? 2 : 1;
	path = fuzz_file(0, "in.csv", data + 1, size - 1);
	t = data[0] & 1 ? stats_reps_read(path, &o)
			: stats_shards_read(&path, 1, &o);
	if (t)
		stats_write(t, &o, fuzz_dir());
	stats_table_free(t);
	return 0;
}
