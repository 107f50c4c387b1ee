/* Charts: the model's layout (pure) and its dump.  The drawing with
 * cairo is in chart_draw.c.  See chart.h. */
#include "chart_int.h"
#include "../lib/diag.h"

#include <math.h>
#include <string.h>

/* ---- layout ---- */

static void add_label(struct chart_layout *l, const char *text, double size,
		      double x, double y, double angle, chart_measure_fn measure)
{
	struct chart_label *lb;
	double w, h;

	if (l->nlabels == CHART_MAX_LABELS)
		return;
	lb = &l->labels[l->nlabels++];
	snprintf(lb->text, sizeof lb->text, "%s", text);
	measure(lb->text, size, &w, &h);
	lb->size = size;
	lb->angle = angle;
	lb->x = x;
	lb->y = y;
	if (angle == 0) {
		/* (x, y) is the top-left corner of the text's box */
		lb->box = (struct chart_box){ x, y, w, h };
	} else {
		/* vertical, reading upwards: (x, y) is the bottom-left */
		lb->box = (struct chart_box){ x, y - w, h, w };
	}
}

/* Nice ticks over [lo, hi]: steps 1, 2, 2.5, 5 x 10^k, at most 8
 * intervals; into (*vmin, *vmax, t[], *nt). */
static void nice(double lo, double hi, double *vmin, double *vmax, double *t,
		 size_t *nt)
{
	static const double steps[] = { 1, 2, 2.5, 5 };
	double span = hi - lo, step = 1, mag;

	if (!(span > 0))
		span = hi > 0 ? hi : 1;
	mag = pow(10, floor(log10(span / 8)));
	/* the smallest step whose rounded-out range has at most 8
	 * intervals */
	for (int k = 0; k < 12; k++) {
		step = steps[k % 4] * mag * pow(10, k / 4);
		if (ceil(hi / step) - floor(lo / step) <= 8)
			break;
	}
	*vmin = floor(lo / step) * step;
	*vmax = ceil(hi / step) * step;
	if (*vmax <= *vmin)
		*vmax = *vmin + step;
	*nt = 0;
	for (double x = *vmin; x <= *vmax + step / 2 && *nt < 24; x += step)
		t[(*nt)++] = fabs(x) < step / 1e6 ? 0 : x;
}

static void ticks(struct chart_layout *l, double lo, double hi)
{
	nice(lo, hi, &l->vmin, &l->vmax, l->ticks, &l->nticks);
}


static double tick_width(const struct chart_layout *l, chart_measure_fn measure)
{
	double most = 0;

	for (size_t i = 0; i < l->nticks; i++) {
		char t[32];
		double w, h;

		snprintf(t, sizeof t, "%g", l->ticks[i]);
		measure(t, F_TICK, &w, &h);
		if (w > most)
			most = w;
	}
	return most;
}

/* The axis title TEXT, centred under the plot at the chart's foot. */
static void bottom_title(struct chart_layout *l, const char *text,
			 chart_measure_fn measure)
{
	double w, h;

	measure(text, F_AXIS, &w, &h);
	add_label(l, text, F_AXIS, l->plot.x + (l->plot.w - w) / 2,
		  l->height - PAD - h, 0, measure);
}

/* Tick label VALUE centred on X, DY below the plot. */
static void x_tick(struct chart_layout *l, double value, double x, double dy,
		   chart_measure_fn measure)
{
	char t[32];
	double w, h;

	snprintf(t, sizeof t, "%g", value);
	measure(t, F_TICK, &w, &h);
	add_label(l, t, F_TICK, x - w / 2, l->plot.y + l->plot.h + dy, 0,
		  measure);
}

/* RANKS and FOREST: each category's name right-aligned before its row. */
static void row_names(struct chart_layout *l, const struct chart_model *m,
		      chart_measure_fn measure)
{
	double row = l->plot.h / (double)m->ncats, lw, lh;

	for (size_t c = 0; c < m->ncats; c++) {
		measure(m->cats[c], F_LABEL, &lw, &lh);
		add_label(l, m->cats[c], F_LABEL, l->plot.x - PAD - lw,
			  l->plot.y + row * ((double)c + 0.5) - lh / 2, 0,
			  measure);
	}
}

/* The width of the widest category name at SIZE. */
static double widest(const struct chart_model *m, double size,
		     chart_measure_fn measure)
{
	double most = 0, w, h;

	for (size_t c = 0; c < m->ncats; c++) {
		measure(m->cats[c], size, &w, &h);
		if (w > most)
			most = w;
	}
	return most;
}

/* The rows a legend above a plot from X0 to X1 needs: its entries side by
 * side, a new row where the next would pass X1. */
static size_t legend_rows(const struct chart_model *m, chart_measure_fn measure,
			  double x0, double x1)
{
	double x = x0, lw, lh;
	size_t rows = 1;

	for (size_t s = 0; s < m->nseries; s++) {
		measure(m->series[s], F_LEGEND, &lw, &lh);
		if (x > x0 && x + 18 + lw > x1) {
			rows++;
			x = x0;
		}
		x += 18 + lw + 3 * PAD;
	}
	return rows;
}

/* The legend's row for a line chart's grey lines. */
static void muted_text(const struct chart_model *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "the other %zu, in grey", m->nmuted);
}

int chart_layout(const struct chart_model *m, chart_measure_fn measure,
		 struct chart_layout *l)
{
	double tw, th, lw, lh, maxv = 0, left, bottom, top, right;
	char axis[128], muted[64];

	memset(l, 0, sizeof *l);
	l->width = 900;
	l->scale = 1;
	if (m->ncats == 0 && m->kind != CHART_HIST)
		return -1;
	measure(m->title, F_TITLE, &tw, &th);
	/* value range */
	if (m->kind == CHART_BARS) {
		for (size_t s = 0; s < m->nseries; s++)
			for (size_t c = 0; c < m->ncats; c++) {
				if (isfinite(m->v[s][c]) && m->v[s][c] > maxv)
					maxv = m->v[s][c];
				if (isfinite(m->hi[s][c]) && m->hi[s][c] > maxv)
					maxv = m->hi[s][c];
			}
	} else if (m->kind == CHART_LINES) {
		for (size_t c = 0; c < m->ncats; c++)
			for (size_t i = 0; i < CHART_LINE_POINTS; i++)
				if (m->line_y[c][i] > maxv)
					maxv = m->line_y[c][i];
		for (size_t c = 0; c < m->nmuted; c++)
			for (size_t i = 0; i < CHART_LINE_POINTS; i++)
				if (m->muted_y[c][i] > maxv)
					maxv = m->muted_y[c][i];
	}
	if ((m->kind == CHART_BARS || m->kind == CHART_LINES) &&
	    isfinite(m->share_vmax) && m->share_vmax > maxv)
		maxv = m->share_vmax;
	if (m->kind == CHART_HIST) {
		double xlo = INFINITY, xhi = 0, dmax = 0;

		for (size_t s = 0; s < m->nseries; s++)
			for (size_t b = 0; b < m->nbins[s]; b++) {
				if (m->lo[s][b] < xlo)
					xlo = m->lo[s][b];
				if (m->hi[s][b] > xhi)
					xhi = m->hi[s][b];
			}
		if (m->share_x && isfinite(m->share_xlo) && isfinite(m->share_xhi)) {
			if (m->share_xlo < xlo)
				xlo = m->share_xlo;
			if (m->share_xhi > xhi)
				xhi = m->share_xhi;
		}
		if (!(xhi > 0))
			return -1;
		metric_scale(m->unit, xhi, &l->xscale, l->xunit, sizeof l->xunit);
		nice(xlo / l->xscale, xhi / l->xscale, &l->xmin, &l->xmax,
		     l->xticks, &l->nxticks);
		/* densities per display unit of x */
		for (size_t s = 0; s < m->nseries; s++)
			for (size_t b = 0; b < m->nbins[s]; b++)
				if (m->v[s][b] * l->xscale > dmax)
					dmax = m->v[s][b] * l->xscale;
		ticks(l, 0, dmax);
	} else if (m->kind == CHART_FOREST) {
		double lo = 1, hi = 1;
		int narrow = 0;

		/* the axis holds 1 and every interval narrower than 1 (and
		 * its points); a wider one (a group of 2 + 2 repetitions) is
		 * cut at the axis' ends rather than squash the others */
		for (size_t c = 0; c < m->ncats; c++)
			narrow |= m->hi[0][c] - m->lo[0][c] <= 1;
		for (size_t c = 0; c < m->ncats; c++) {
			int wide = !(m->hi[0][c] - m->lo[0][c] <= 1);

			if (narrow && wide) {
				if (isfinite(m->v[0][c]) && m->v[0][c] < lo)
					lo = m->v[0][c];
				if (isfinite(m->v[0][c]) && m->v[0][c] > hi)
					hi = m->v[0][c];
				continue;
			}
			if (isfinite(m->lo[0][c]) && m->lo[0][c] < lo)
				lo = m->lo[0][c];
			if (isfinite(m->hi[0][c]) && m->hi[0][c] > hi)
				hi = m->hi[0][c];
		}
		if (lo < 0)
			lo = 0; /* a ratio of times */
		nice(lo, hi, &l->xmin, &l->xmax, l->xticks, &l->nxticks);
	} else if (m->kind == CHART_RANKS) {
		/* every rank up to 20; beyond, 1, the multiples of a round
		 * step (at most 10 of them) and the last rank, so the ticks
		 * span every rank at any count */
		static const size_t steps[] = { 2, 5, 10, 20, 25, 50, 100, 200,
						250, 500, 1000, 2000, 5000 };
		size_t step = 1, nr = m->rank_max ? m->rank_max : m->ncats;

		for (size_t i = 0; nr > 20 && i < sizeof steps / sizeof *steps; i++) {
			step = steps[i];
			if (nr / step <= 10)
				break;
		}
		l->vmin = 1;
		l->vmax = (double)nr;
		l->nticks = 0;
		l->ticks[l->nticks++] = 1;
		for (size_t r = step; r <= nr && l->nticks < 23; r += step)
			if (r > 1 && (step == 1 || r + step / 2 <= nr || r == nr))
				l->ticks[l->nticks++] = (double)r;
		if (l->ticks[l->nticks - 1] != (double)nr)
			l->ticks[l->nticks++] = (double)nr;
	} else {
		if (m->unit != UNIT_NONE)
			metric_scale(m->unit, maxv, &l->scale, l->unit,
				     sizeof l->unit);
		ticks(l, 0, maxv / l->scale); /* value axes start at zero */
	}
	/* margins from what the labels need */
	if (m->kind == CHART_HIST) {
		left = PAD + F_AXIS * 1.6 + tick_width(l, measure) + PAD;
		bottom = PAD + F_TICK * 1.6 + F_AXIS * 1.6 + PAD;
		top = PAD + th + PAD +
		      F_LEGEND * 1.8 *
			      (double)legend_rows(m, measure, left,
						  l->width - 2 * PAD) +
		      PAD;
		right = 3 * PAD;
		l->height = top + 260 + bottom;
	} else if (m->kind == CHART_BARS) {
		double most = widest(m, F_LABEL, measure);

		left = PAD + F_AXIS * 1.6 + tick_width(l, measure) + PAD;
		bottom = PAD + most + PAD + F_AXIS * 1.6;
		top = PAD + th + PAD +
		      F_LEGEND * 1.8 *
			      (double)legend_rows(m, measure, left,
						  l->width - 2 * PAD) +
		      PAD;
		right = 2 * PAD;
		l->height = top + 300 + bottom;
	} else if (m->kind == CHART_RANKS || m->kind == CHART_FOREST) {
		double most = widest(m, F_LABEL, measure);
		left = PAD + most + PAD;
		top = PAD + th + 2 * PAD;
		bottom = PAD + F_TICK * 1.6 + F_AXIS * 1.6 + PAD;
		right = 3 * PAD;
		l->height = top + 24.0 * (double)m->ncats + bottom;
	} else {
		double most = widest(m, F_LEGEND, measure);
		left = PAD + F_AXIS * 1.6 + tick_width(l, measure) + PAD;
		top = PAD + th + 2 * PAD;
		bottom = PAD + F_TICK * 1.6 + F_AXIS * 1.6 + PAD;
		if (m->nmuted) {
			double mw, mh;

			muted_text(m, muted, sizeof muted);
			measure(muted, F_LEGEND, &mw, &mh);
			if (mw > most)
				most = mw;
		}
		right = PAD + 24 + most + 2 * PAD; /* the legend, beside */
		l->height = top + 18.0 * (double)(m->ncats + (m->nmuted > 0)) +
			    bottom;
		if (l->height < 420)
			l->height = 420;
	}
	l->plot = (struct chart_box){ left, top, l->width - left - right,
				      l->height - top - bottom };
	l->slot = l->plot.w / (double)(m->kind == CHART_RANKS ||
					       m->kind == CHART_FOREST || m->ncats == 0
					       ? 1
					       : m->ncats);
	/* the title, centred */
	add_label(l, m->title, F_TITLE, (l->width - tw) / 2, PAD, 0, measure);
	/* value axis: tick labels and the axis name */
	if (m->kind != CHART_RANKS && m->kind != CHART_FOREST) {
		for (size_t i = 0; i < l->nticks; i++) {
			char t[32];
			double y = l->plot.y + l->plot.h -
				   (l->ticks[i] - l->vmin) / (l->vmax - l->vmin) *
					   l->plot.h;

			snprintf(t, sizeof t, "%g", l->ticks[i]);
			measure(t, F_TICK, &lw, &lh);
			add_label(l, t, F_TICK, l->plot.x - PAD - lw, y - lh / 2, 0,
				  measure);
		}
		snprintf(axis, sizeof axis, "%s%s%s%s", m->ylabel,
			 *l->unit ? " (" : "", l->unit, *l->unit ? ")" : "");
		measure(axis, F_AXIS, &lw, &lh);
		add_label(l, axis, F_AXIS, PAD,
			  l->plot.y + l->plot.h / 2 + lw / 2, -M_PI / 2, measure);
	}
	if (m->kind == CHART_BARS || m->kind == CHART_HIST) {
		/* legend rows above the plot, outside the data, wrapped
		 * at the chart's right edge (legend_rows() sized the top) */
		double x = l->plot.x, y = PAD + th + PAD, most = x;

		for (size_t s = 0; s < m->nseries; s++) {
			measure(m->series[s], F_LEGEND, &lw, &lh);
			if (x > l->plot.x && x + 18 + lw > l->width - 2 * PAD) {
				x = l->plot.x;
				y += F_LEGEND * 1.8;
			}
			add_label(l, m->series[s], F_LEGEND, x + 18, y, 0, measure);
			x += 18 + lw + 3 * PAD;
			if (x > most)
				most = x;
		}
		l->legend = (struct chart_box){ l->plot.x, PAD + th + PAD,
						most - l->plot.x,
						y - (PAD + th + PAD) +
							F_LEGEND * 1.4 };
	}
	if (m->kind == CHART_HIST) {
		/* tick labels below the value axis' lowest label, which
		 * reaches half a line under the plot */
		for (size_t i = 0; i < l->nxticks; i++)
			x_tick(l, l->xticks[i],
			       l->plot.x + (l->xticks[i] - l->xmin) /
						   (l->xmax - l->xmin) * l->plot.w,
			       F_TICK * 0.7, measure);
		snprintf(axis, sizeof axis, "%s (%s)", m->xlabel, l->xunit);
		bottom_title(l, axis, measure);
	} else if (m->kind == CHART_BARS) {
		/* category names, vertical, under their slots */
		for (size_t c = 0; c < m->ncats; c++) {
			double cx = l->plot.x + l->slot * ((double)c + 0.5);

			measure(m->cats[c], F_LABEL, &lw, &lh);
			add_label(l, m->cats[c], F_LABEL, cx - lh / 2,
				  l->plot.y + l->plot.h + PAD + lw, -M_PI / 2,
				  measure);
		}
		bottom_title(l, m->xlabel, measure);
	} else if (m->kind == CHART_FOREST) {
		row_names(l, m, measure);
		for (size_t i = 0; i < l->nxticks; i++)
			x_tick(l, l->xticks[i],
			       l->plot.x + (l->xticks[i] - l->xmin) /
						   (l->xmax - l->xmin) * l->plot.w,
			       4, measure);
		bottom_title(l, m->xlabel, measure);
	} else if (m->kind == CHART_RANKS) {
		row_names(l, m, measure);
		for (size_t i = 0; i < l->nticks; i++)
			x_tick(l, l->ticks[i],
			       l->plot.x + (l->ticks[i] - 0.5) / l->vmax *
						   l->plot.w,
			       4, measure);
		bottom_title(l, m->xlabel, measure);
	} else {
		for (int i = 0; i <= 10; i += 2)
			x_tick(l, i / 10.0, l->plot.x + i / 10.0 * l->plot.w, 4,
			       measure);
		bottom_title(l, m->xlabel, measure);
		for (size_t c = 0; c < m->ncats; c++)
			add_label(l, m->cats[c], F_LEGEND,
				  l->plot.x + l->plot.w + PAD + 24,
				  l->plot.y + 18.0 * (double)c, 0, measure);
		if (m->nmuted)
			add_label(l, muted, F_LEGEND,
				  l->plot.x + l->plot.w + PAD + 24,
				  l->plot.y + 18.0 * (double)m->ncats, 0, measure);
		l->legend = (struct chart_box){
			l->plot.x + l->plot.w + PAD, l->plot.y, right - PAD,
			18.0 * (double)(m->ncats + (m->nmuted > 0))
		};
	}
	/* every label inside the chart, no two overlapping */
	for (size_t i = 0; i < l->nlabels; i++) {
		const struct chart_box *a = &l->labels[i].box;

		if (a->x < 0 || a->y < 0 || a->x + a->w > l->width ||
		    a->y + a->h > l->height)
			return -1;
	}
	for (size_t i = 0; i < l->nlabels; i++)
		for (size_t j = i + 1; j < l->nlabels; j++) {
			const struct chart_box *a = &l->labels[i].box,
					       *b = &l->labels[j].box;

			if (a->x < b->x + b->w && b->x < a->x + a->w &&
			    a->y < b->y + b->h && b->y < a->y + a->h)
				return -1;
		}
	return 0;
}

void chart_dump(FILE *fp, const char *name, const struct chart_model *m,
		const struct chart_layout *l)
{
	static const char *const kinds[] = { "bars", "ranks", "lines", "hist",
					     "forest" };

	fprintf(fp, "chart %s kind=%s size=%.0fx%.0f \"%s\"\n", name,
		kinds[m->kind], l->width, l->height, m->title);
	fprintf(fp, "  plot x=%.1f y=%.1f w=%.1f h=%.1f\n", l->plot.x, l->plot.y,
		l->plot.w, l->plot.h);
	fprintf(fp, "  axis min=%g max=%g unit=%s ticks=", l->vmin, l->vmax,
		*l->unit ? l->unit : "-");
	for (size_t i = 0; i < l->nticks; i++)
		fprintf(fp, "%s%g", i ? "," : "", l->ticks[i]);
	fputc('\n', fp);
	if (m->kind == CHART_FOREST) {
		fprintf(fp, "  xaxis min=%g max=%g ticks=", l->xmin, l->xmax);
		for (size_t i = 0; i < l->nxticks; i++)
			fprintf(fp, "%s%g", i ? "," : "", l->xticks[i]);
		fputc('\n', fp);
		for (size_t c = 0; c < m->ncats; c++)
			fprintf(fp, "  row %zu lo=%.17g hi=%.17g point=%.17g "
				    "x_lo=%.1f x_hi=%.1f verdict=%d \"%s\"\n",
				c + 1, m->lo[0][c], m->hi[0][c], m->v[0][c],
				chart_forest_x(l, m->lo[0][c]), chart_forest_x(l, m->hi[0][c]),
				m->verdict[c], m->cats[c]);
	}
	if (m->kind == CHART_HIST) {
		fprintf(fp, "  xaxis min=%g max=%g unit=%s ticks=", l->xmin, l->xmax,
			l->xunit);
		for (size_t i = 0; i < l->nxticks; i++)
			fprintf(fp, "%s%g", i ? "," : "", l->xticks[i]);
		fputc('\n', fp);
	}
	if (m->kind == CHART_LINES && m->nmuted) {
		double top = 0;

		for (size_t c = 0; c < m->nmuted; c++)
			for (size_t i = 0; i < CHART_LINE_POINTS; i++)
				if (m->muted_y[c][i] > top)
					top = m->muted_y[c][i];
		fprintf(fp, "  muted lines=%zu max=%g\n", m->nmuted, top);
	}
	if (l->legend.w > 0)
		fprintf(fp, "  legend x=%.1f y=%.1f w=%.1f h=%.1f\n", l->legend.x,
			l->legend.y, l->legend.w, l->legend.h);
	/* what each coloured item is drawn in: a test can check that one
	 * configuration has one style in every chart of a report */
	if (m->kind == CHART_BARS || m->kind == CHART_HIST ||
	    m->kind == CHART_LINES) {
		size_t n = m->kind == CHART_LINES ? m->ncats : m->nseries;

		for (size_t k = 0; k < n; k++) {
			char hex[8];
			int dash;

			chart_style(chart_style_of(m, k), hex, &dash);
			fprintf(fp, "  style %zu colour=%s dash=%d \"%s\"\n", k + 1,
				hex, dash,
				m->kind == CHART_LINES ? m->cats[k] : m->series[k]);
		}
	}
	for (size_t i = 0; i < l->nlabels; i++) {
		const struct chart_label *lb = &l->labels[i];

		fprintf(fp, "  label x=%.1f y=%.1f w=%.1f h=%.1f angle=%g \"%s\"\n",
			lb->box.x, lb->box.y, lb->box.w, lb->box.h,
			lb->angle == 0 ? 0.0 : -90.0, lb->text);
	}
}
