/*
 * labels: what a label name may be, and which header keys are run
 * metadata rather than labels.  Libc only: ingest reads logs with these
 * rules and vmnetrank-collect writes them with the same ones.
 */
#ifndef VMNETRANK_LABELS_H
#define VMNETRANK_LABELS_H

#include <stddef.h>

/* KEY (N bytes) as a label name: 0, or -1 with *why (label_reserved_why
 * when KEY is a column of samples.csv). */
extern const char label_reserved_why[];
int label_key_ok(const char *key, size_t n, const char **why);

/* Is KEY header metadata (host, tool, ..., meta.*) rather than a label? */
int is_meta_key(const char *key);

/* The order of label columns in every output: the others by name (strcmp),
 * then workload, then direction.  <0, 0, >0 as strcmp. */
int label_order(const char *x, const char *y);

#endif
