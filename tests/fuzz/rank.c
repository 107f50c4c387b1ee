/* Fuzz target: rank's readers of reps.csv and summary.csv (rank_load() and
 * everything it calls; the file is included to reach the static reader).
 * The input is reps.csv, a line "====", then summary.csv. */
#include "fuzz.h"
#include "../../stats/rank.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = NULL;
	struct data d;

	for (size_t i = 0; i + 6 <= size && !sep; i++)
		if (memcmp(data + i, "\n====\n", 6) == 0)
			sep = data + i;
	if (!sep)
		return 0;
	fuzz_reset();
	fuzz_file(0, "reps.csv", data, (size_t)(sep - data) + 1);
	fuzz_file(1, "summary.csv", sep + 6, size - (size_t)(sep - data) - 6);
	if (rank_load(fuzz_dir(), &d) == 0)
		rank_data_free(&d);
	return 0;
}
