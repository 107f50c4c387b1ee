/* Fuzz target: the samples.csv reader of stats, and the statistics on what
 * it read.  Byte 0: bit 0 closes repetitions at every file's end
 * (--hold-ops 1), bit 1 --steady, bit 2 two threads; the rest is
 * samples.csv. */
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
	o.steady = (data[0] >> 1) & 1;
	o.threads = (data[0] >> 2) & 1 ? 2 : 1;
	o.hold_ops = data[0] & 1 ? 1 : STATS_HOLD_OPS;
	path = fuzz_file(0, "samples.csv", data + 1, size - 1);
	t = stats_table_read(path, &o);
	if (t)
		stats_write(t, &o, fuzz_dir());
	stats_table_free(t);
	return 0;
}
