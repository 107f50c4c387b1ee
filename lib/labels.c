#include "labels.h"

#include <string.h>

/* Column names with a role; they cannot be label keys. */
static const char *const reserved_keys[] = {
	"rep",	 "seq",	   "start_us", "end_us", "duration_us",
	"bytes", "status", "source",   "server_us", "warmup",
	"start_res_us", NULL,
};

/* Header keys that describe the run rather than the configuration. */
static const char *const meta_keys[] = {
	"host",	   "tool",    "started",   "finished", "kernel",
	"command", "clock",   "clock_res_ns", "collector", "version",
	"note",	   "synthetic", "seed",	   "generator", "interrupted",
	NULL,
};

const char label_reserved_why[] =
	"that name is a column of samples.csv, not a label";

int label_key_ok(const char *key, size_t n, const char **why)
{
	if (n == 0) {
		*why = "empty label name";
		return -1;
	}
	if (n > 64) {
		*why = "label name longer than 64 characters";
		return -1;
	}
	if (!((key[0] >= 'a' && key[0] <= 'z') ||
	      (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_')) {
		*why = "a label name starts with a letter or '_'";
		return -1;
	}
	for (size_t i = 1; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.')) {
			*why = "a label name holds only letters, digits, "
			       "'_', '-' and '.'";
			return -1;
		}
	}
	for (size_t i = 0; reserved_keys[i]; i++)
		if (strlen(reserved_keys[i]) == n &&
		    memcmp(reserved_keys[i], key, n) == 0) {
			*why = label_reserved_why;
			return -1;
		}
	return 0;
}

int is_meta_key(const char *key)
{
	if (strncmp(key, "meta.", 5) == 0)
		return 1;
	for (size_t i = 0; meta_keys[i]; i++)
		if (strcmp(meta_keys[i], key) == 0)
			return 1;
	return 0;
}

int label_order(const char *x, const char *y)
{
	int rx = strcmp(x, "workload") == 0 ? 1 : strcmp(x, "direction") == 0 ? 2 : 0;
	int ry = strcmp(y, "workload") == 0 ? 1 : strcmp(y, "direction") == 0 ? 2 : 0;

	return rx != ry ? rx - ry : strcmp(x, y);
}
