/* Private to the stats stage: the table of operations. */
#ifndef VMNETRANK_STATS_INT_H
#define VMNETRANK_STATS_INT_H

#include "stats.h"

struct op {
	int64_t start;
	int64_t dur;
	uint32_t rep;    /* index into stats_table.reps */
	uint32_t failed;
};

struct rep {
	uint32_t group;
	uint32_t file;   /* index into stats_table.files */
	int64_t number;
	int64_t min_start, max_end, bytes; /* bytes of successful ops */
	int64_t res;     /* finest start-time resolution of its ops, us */
	uint32_t ops, failed;
	int bytes_unknown;
	size_t first; /* after sorting: index of its first op */
};

struct group {
	char **values; /* one per key ("" when unset) */
	uint32_t *reps;
	size_t nreps, capreps;
};

struct stats_table {
	char **keys;
	size_t nkeys;
	int keep_bytes;
	struct group *groups;
	size_t ngroups, capgroups;
	struct rep *reps;
	size_t nreps, capreps;
	struct op *ops;
	void *ops_map;     /* ops lie in this reserved mapping (fixed size) */
	size_t ops_maplen; /* its length; 0 when another table owns it */
	int64_t *bytes; /* per op, only with keep_bytes */
	size_t nops, capops, capbytes;
	/* hash: label tuple -> group */
	uint32_t *ghash;
	size_t ghcap;
	/* hash: (group, rep number) -> rep */
	uint32_t *rhash;
	size_t rhcap;
	uint32_t last_group, last_rep;
	int have_last;
	char **files;   /* input file names (repetition identity) */
	size_t nfiles, capfiles;
	char *keybuf;
	size_t keybufcap;
};

/* table.c's lookups, for table_read.c: a group by its label values, a
 * repetition by (group, file, number), made when missing (-1: out of
 * memory); table_add() is stats_table_add() without the report, safe on
 * a worker thread. */
long table_find_group(struct stats_table *t, const char *const *labels,
		      const size_t *lens);
long table_find_rep(struct stats_table *t, uint32_t g, uint32_t file,
		    int64_t number);
int table_add(struct stats_table *t, const char *const *labels,
	      const size_t *lens, int same, uint32_t file, int64_t rep,
	      int64_t start_us, int64_t end_us, int64_t bytes,
	      int64_t start_res, int failed);

/* The columns of reps.csv and summary.csv after the labels (NULL-ended):
 * written by compute.c, read back by rank.c. */
extern const char *const stats_reps_cols[];
extern const char *const stats_summary_cols[];

#endif
