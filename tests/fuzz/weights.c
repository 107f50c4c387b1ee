/* Fuzz target: the weights file, for the workloads w1, w2 and web. */
#include "fuzz.h"
#include "../../stats/weights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "w1", "w2", "web" };
	struct weights w;

	fuzz_reset();
	if (weights_load(&w, fuzz_file(0, "weights.txt", data, size), names, 3, NULL, 0) == 0)
		weights_release(&w);
	return 0;
}
