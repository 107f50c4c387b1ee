#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

void verdict_tie(char *buf, size_t cap, const char *top, const char *best,
		 const char *better, size_t nt, size_t ne, const char *eq,
		 double margin, const char *why)
{
	if (ne + 1 == nt)
		snprintf(buf, cap, " (%s has %s; %s equal to it within %g%%)", top,
			 best, nt == 2 ? "the other is" : "the others named are",
			 100 * margin);
	else if (ne)
		snprintf(buf, cap, " (%s has %s, but is not proven %s than the "
				   "others named; equal to it within %g%%: %s; "
				   "the others cannot be told apart from it%s%s)",
			 top, best, better, 100 * margin, eq, why ? ": " : "",
			 why ? why : "");
	else
		snprintf(buf, cap, " (%s has %s, but is not proven %s than %s; "
				   "they cannot be told apart%s%s)",
			 top, best, better,
			 nt == 2 ? "the other" : "the others named",
			 why ? ": " : "", why ? why : "");
}

void verdict_list_add(char *list, size_t cap, size_t *n, const char *name)
{
	size_t len = strlen(list);

	if (len + strlen(name) + 3 > cap)
		return;
	snprintf(list + len, cap - len, "%s%s", *n ? ", " : "", name);
	(*n)++;
}
