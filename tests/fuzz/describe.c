/* Fuzz target: describe's readers.  Byte 0: 0 one number per line,
 * 1..9 that CSV column, else the column named "time_ms"; byte 1 bit 0
 * --csv.  The rest is split at a line "====" into a baseline and a
 * second input (compared). */
#include "fuzz.h"
#include "../../stats/stats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct describe_options o = { NULL, 0.95, 0 };
	const char *in[2];
	const uint8_t *sep = NULL, *body;
	size_t n, blen;
	char col[4];

	if (size < 2)
		return 0;
	fuzz_reset();
	if (data[0] % 11 >= 1 && data[0] % 11 <= 9) {
		snprintf(col, sizeof col, "%d", data[0] % 11);
		o.column = col;
	} else if (data[0] % 11 == 10) {
		o.column = "time_ms";
	}
	o.csv = data[1] & 1;
	body = data + 2;
	blen = size - 2;
	for (size_t i = 0; i + 6 <= blen && !sep; i++)
		if (memcmp(body + i, "\n====\n", 6) == 0)
			sep = body + i;
	n = sep ? (size_t)(sep - body) + 1 : blen;
	in[0] = fuzz_file(0, "a.txt", body, n);
	if (sep)
		in[1] = fuzz_file(1, "b.txt", sep + 6, blen - n - 5);
	stats_describe(in, sep ? 2 : 1, &o);
	fflush(stdout);
	return 0;
}
