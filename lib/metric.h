/*
 * metric: the repetition figures a workload can be ranked by, their units
 * and their direction, in one table that stats (reps.csv, summary.csv),
 * rank and report share (README, "Metrics").
 *
 *   wall        first start to last end of the repetition (us)
 *   busy        sum of its successful operations' times (us)
 *   op-mean     mean time of its successful operations (us)
 *   op-p50      median of them (us)
 *   op-p99      99th percentile of them (us)
 *   throughput  bytes of its successful operations / wall time (B/s)
 *   op-rate     successful operations / wall time (1/s)
 *
 * Times are better lower, rates better higher.  A rate is analysed on its
 * reciprocal (time per byte, per operation): means of rates are harmonic
 * means, and every test, interval and weighted score of times carries
 * over unchanged.
 */
#ifndef VMNETRANK_METRIC_H
#define VMNETRANK_METRIC_H

#include <stddef.h>

enum metric_unit { UNIT_NONE = 0, UNIT_TIME, UNIT_BYTES_RATE, UNIT_OPS_RATE };

enum metric_id {
	M_WALL = 0,
	M_BUSY,
	M_OP_MEAN,
	M_OP_P50,
	M_OP_P99,
	M_THROUGHPUT,
	M_OP_RATE,
	M_COUNT
};

struct metric {
	const char *name;   /* as --metric takes it */
	const char *column; /* in reps.csv */
	enum metric_unit unit;
	int higher;         /* 1: better when higher (a rate) */
	const char *what;   /* what it measures, for the report */
	const char *noun;   /* short, for titles: "wall time" */
};

extern const struct metric metrics[M_COUNT];

/* The metric called NAME, or NULL. */
const struct metric *metric_find(const char *name);

/* "wall, busy, op-mean, ..." for messages. */
const char *metric_names(void);

/* The unit symbol of a raw value ("us", "B/s", "1/s"). */
const char *metric_unit_symbol(enum metric_unit u);

/* The display scale for values up to MAXV: value / *scale in UNIT. */
void metric_scale(enum metric_unit u, double maxv, double *scale,
		  char *unit, size_t cap);

/* V as "1.234 ms", "1.56 GB/s", "120 op/s" (4 significant digits); "-"
 * when V is not finite. */
const char *metric_format(char *buf, size_t cap, enum metric_unit u,
			  double v);

/* "1.23 ms" and its interval "[1.2, 1.26] ms" in the same unit, into V
 * and CI (V "-" when not finite; CI "" when there is no interval, and an
 * end that is not finite "unbounded"). */
void metric_format_ci(char *v, size_t vcap, char *ci, size_t cicap,
		      enum metric_unit u, double mean, double lo, double hi);

#endif
