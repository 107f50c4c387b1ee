/*
 * mutate: write a seeded random corruption of a file (for the e2e
 * robustness test): flip, insert, delete or duplicate a few bytes, or cut
 * the file short.  mutate SEED IN OUT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t s;

static uint64_t next(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

int main(int argc, char **argv)
{
	FILE *in, *out;
	unsigned char *buf;
	long n, cap;
	int edits;
	static const unsigned char special[] = { ',', '"', '\n', '\r', '\t',
						 '\0', '#', '=', '.', '-',
						 '9', 0xC3, 0xFF, ' ' };

	if (argc != 4)
		return 2;
	s = strtoull(argv[1], NULL, 10) * 2654435761u + 1;
	in = fopen(argv[2], "rb");
	if (!in)
		return 1;
	fseek(in, 0, SEEK_END);
	n = ftell(in);
	rewind(in);
	cap = n * 2 + 64;
	buf = malloc((size_t)cap);
	if (!buf || fread(buf, 1, (size_t)n, in) != (size_t)n)
		return 1;
	fclose(in);
	edits = 1 + (int)(next() % 4);
	while (edits-- > 0 && n > 0) {
		long at = (long)(next() % (uint64_t)n);
		unsigned char c = next() % 2 ? special[next() % sizeof special]
					     : (unsigned char)next();

		switch (next() % 5) {
		case 0: /* replace */
			buf[at] = c;
			break;
		case 1: /* insert */
			if (n + 1 < cap) {
				for (long i = n; i > at; i--)
					buf[i] = buf[i - 1];
				buf[at] = c;
				n++;
			}
			break;
		case 2: /* delete */
			for (long i = at; i + 1 < n; i++)
				buf[i] = buf[i + 1];
			n--;
			break;
		case 3: /* cut short */
			n = at;
			break;
		default: /* duplicate a run */
		{
			long len = 1 + (long)(next() % 40);

			if (at + len > n)
				len = n - at;
			if (n + len < cap) {
				for (long i = n - 1; i >= at + len; i--)
					buf[i + len] = buf[i];
				n += len;
			}
			break;
		}
		}
	}
	out = fopen(argv[3], "wb");
	if (!out || fwrite(buf, 1, (size_t)n, out) != (size_t)n || fclose(out))
		return 1;
	free(buf);
	return 0;
}
