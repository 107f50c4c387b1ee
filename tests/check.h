/* The unit tests' one assertion: count it, and say where it failed.
 * Each test program prints "NAME: N passed, N failed" at the end. */
#ifndef VMNETRANK_CHECK_H
#define VMNETRANK_CHECK_H

#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			passed++;                                          \
		} else {                                                   \
			failed++;                                          \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

#endif
