#include "verdict.h"

#include <math.h>
#include <stdio.h>

void verdict_power(char *buf, size_t cap, double n_reps, double cv,
		   double detectable, double reps_needed, double detect,
		   double margin)
{
	int len;

	if (!(n_reps >= 2)) {
		snprintf(buf, cap, "with one repetition no difference can be tested");
		return;
	}
	if (!(cv > 0)) {
		snprintf(buf, cap, "with no spread between repetitions the "
				   "tests cannot weigh a difference");
		return;
	}
	if (!isfinite(detectable)) {
		snprintf(buf, cap, "there is no power figure");
		return;
	}
	if (detectable >= 1) {
		snprintf(buf, cap, "with %g repetitions and CV %.2g%%, no "
				   "difference can be seen reliably",
			 n_reps, 100 * cv);
		return;
	}
	len = snprintf(buf, cap, "with %g repetitions and CV %.2g%%, "
				 "differences under %.3g%% cannot be seen",
		       n_reps, 100 * cv, 100 * detectable);
	if (len < 0 || (size_t)len >= cap)
		return;
	if (reps_needed > n_reps)
		snprintf(buf + len, cap - (size_t)len,
			 "; %.0f repetitions would show %g%%", reps_needed,
			 100 * detect);
	else if (!(reps_needed > 0) && detect > margin)
		snprintf(buf + len, cap - (size_t)len,
			 "; no practical number of repetitions would show %g%%",
			 100 * detect);
}
