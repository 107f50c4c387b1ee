/*
 * Replays fuzz inputs without libFuzzer: `make check` runs every seed,
 * corpus file and crash of tests/fuzz/TARGET/ through the target built
 * with the sanitizer build (ASan + UBSan), which aborts on any finding.
 *   fuzz-TARGET FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t n = 0, cap = 0, got;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		do {
			if (n == cap) {
				uint8_t *nb = realloc(buf, (cap = cap ? cap * 2 : 65536));

				if (!nb)
					return 1;
				buf = nb;
			}
			got = fread(buf + n, 1, cap - n, f);
			n += got;
		} while (got > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}
