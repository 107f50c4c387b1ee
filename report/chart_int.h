/* What chart.c (layout, dump) and chart_draw.c (cairo) share: the font
 * sizes by role, and how an item's style and a forest plot's x are
 * found. */
#ifndef VMNETRANK_CHART_INT_H
#define VMNETRANK_CHART_INT_H

#include "chart.h"

#include <math.h>

/* fonts by role, in points (pixels at 1:1) */
#define F_TITLE 15.0
#define F_AXIS 12.0
#define F_TICK 11.0
#define F_LABEL 11.0
#define F_LEGEND 11.0
#define PAD 8.0

/* The style of item K of M: its report-wide index, or K. */
static inline size_t chart_style_of(const struct chart_model *m, size_t k)
{
	return m->styled ? m->style[k] : k;
}

/* The x of ratio V in a forest plot (clipped to the plot). */
static inline double chart_forest_x(const struct chart_layout *l, double v)
{
	if (!isfinite(v) || v < l->xmin)
		v = l->xmin;
	if (v > l->xmax)
		v = l->xmax;
	return l->plot.x + (v - l->xmin) / (l->xmax - l->xmin) * l->plot.w;
}

#endif
