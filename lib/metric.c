#include "metric.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const struct metric metrics[M_COUNT] = {
	[M_WALL] = { "wall", "wall_us", UNIT_TIME, 0,
		     "wall time of a repetition (first start to last end)",
		     "wall time" },
	[M_BUSY] = { "busy", "busy_us", UNIT_TIME, 0,
		     "busy time of a repetition (sum of its successful "
		     "operations' times)",
		     "busy time" },
	[M_OP_MEAN] = { "op-mean", "op_mean_us", UNIT_TIME, 0,
			"mean operation time of a repetition (successful "
			"operations)",
			"mean operation time" },
	[M_OP_P50] = { "op-p50", "op_p50_us", UNIT_TIME, 0,
		       "median operation time of a repetition (successful "
		       "operations)",
		       "median operation time" },
	[M_OP_P99] = { "op-p99", "op_p99_us", UNIT_TIME, 0,
		       "99th percentile of the operation times of a "
		       "repetition (successful operations)",
		       "p99 operation time" },
	[M_THROUGHPUT] = { "throughput", "throughput_Bps", UNIT_BYTES_RATE, 1,
			   "throughput of a repetition (bytes of its "
			   "successful operations per second of wall time)",
			   "throughput" },
	[M_OP_RATE] = { "op-rate", "op_rate_per_s", UNIT_OPS_RATE, 1,
			"operation rate of a repetition (successful "
			"operations per second of wall time)",
			"operation rate" },
};

const struct metric *metric_find(const char *name)
{
	for (size_t i = 0; i < M_COUNT; i++)
		if (strcmp(metrics[i].name, name) == 0)
			return &metrics[i];
	return NULL;
}

const char *metric_names(void)
{
	return "wall, busy, op-mean, op-p50, op-p99, throughput, op-rate";
}

const char *metric_unit_symbol(enum metric_unit u)
{
	switch (u) {
	case UNIT_TIME:
		return "us";
	case UNIT_BYTES_RATE:
		return "B/s";
	case UNIT_OPS_RATE:
		return "1/s";
	default:
		return "";
	}
}

void metric_scale(enum metric_unit u, double maxv, double *scale,
		  char *unit, size_t cap)
{
	static const char *const bytes[] = { "B/s", "kB/s", "MB/s", "GB/s",
					     "TB/s" };
	static const char *const ops[] = { "op/s", "kop/s", "Mop/s", "Gop/s",
					   "Top/s" };
	size_t k = 0;

	*scale = 1;
	switch (u) {
	case UNIT_TIME:
		if (maxv >= 1e6) {
			*scale = 1e6;
			snprintf(unit, cap, "s");
		} else if (maxv >= 1e3) {
			*scale = 1e3;
			snprintf(unit, cap, "ms");
		} else {
			snprintf(unit, cap, "\xC2\xB5s");
		}
		return;
	case UNIT_BYTES_RATE:
	case UNIT_OPS_RATE:
		while (k < 4 && maxv >= *scale * 1000) {
			*scale *= 1000;
			k++;
		}
		snprintf(unit, cap, "%s", u == UNIT_BYTES_RATE ? bytes[k] : ops[k]);
		return;
	default:
		snprintf(unit, cap, "%s", "");
	}
}

const char *metric_format(char *buf, size_t cap, enum metric_unit u, double v)
{
	double scale;
	char unit[16];

	if (!isfinite(v)) {
		snprintf(buf, cap, "-");
		return buf;
	}
	metric_scale(u, fabs(v), &scale, unit, sizeof unit);
	snprintf(buf, cap, "%.4g%s%s", v / scale, *unit ? " " : "", unit);
	return buf;
}

void metric_format_ci(char *v, size_t vcap, char *ci, size_t cicap,
		      enum metric_unit u, double mean, double lo, double hi)
{
	double scale;
	char unit[16], a[32], b[32];

	metric_format(v, vcap, u, mean);
	if (!isfinite(mean) || (!isfinite(lo) && !isfinite(hi))) {
		/* no interval at all (one repetition) */
		snprintf(ci, cicap, "%s", "");
		return;
	}
	metric_scale(u, fabs(mean), &scale, unit, sizeof unit);
	if (isfinite(lo))
		snprintf(a, sizeof a, "%.4g", lo / scale);
	else
		snprintf(a, sizeof a, "unbounded");
	if (isfinite(hi))
		snprintf(b, sizeof b, "%.4g", hi / scale);
	else
		snprintf(b, sizeof b, "unbounded");
	snprintf(ci, cicap, "[%s, %s]%s%s", a, b, *unit ? " " : "", unit);
}
