/* Charts: layout (pure), dump, and drawing with cairo.  See chart.h. */
#include "chart.h"
#include "../lib/diag.h"
#include "../lib/outfile.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <string.h>

/* fonts by role, in points (pixels at 1:1) */
#define F_TITLE 15.0
#define F_AXIS 12.0
#define F_TICK 11.0
#define F_LABEL 11.0
#define F_LEGEND 11.0
#define PAD 8.0

/* Okabe-Ito: distinguishable with every common colour-vision deficiency */
static const double palette[8][3] = {
	{ 0.000, 0.447, 0.698 }, /* blue */
	{ 0.902, 0.624, 0.000 }, /* orange */
	{ 0.000, 0.620, 0.451 }, /* bluish green */
	{ 0.835, 0.369, 0.000 }, /* vermillion */
	{ 0.337, 0.706, 0.914 }, /* sky blue */
	{ 0.800, 0.475, 0.655 }, /* reddish purple */
	{ 0.941, 0.894, 0.259 }, /* yellow */
	{ 0.000, 0.000, 0.000 }, /* black */
};

/* the second channel beyond the 8 colours: dash patterns (on, off ...) */
#define NDASH 6
static const double dash_pat[NDASH][4] = {
	{ 0, 0, 0, 0 }, { 7, 3, 0, 0 }, { 2, 2, 0, 0 },
	{ 8, 3, 2, 3 }, { 12, 2, 0, 0 }, { 3, 5, 0, 0 },
};
static const int dash_len[NDASH] = { 0, 2, 2, 4, 2, 2 };

/* The style of item K of M: its report-wide index, or K. */
static size_t style_of(const struct chart_model *m, size_t k)
{
	return m->styled ? m->style[k] : k;
}

void chart_style(size_t k, char hex[8], int *dash)
{
	snprintf(hex, 8, "#%02x%02x%02x",
		 (unsigned)lround(palette[k % 8][0] * 255),
		 (unsigned)lround(palette[k % 8][1] * 255),
		 (unsigned)lround(palette[k % 8][2] * 255));
	*dash = (int)((k / 8) % NDASH);
}

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

int chart_layout(const struct chart_model *m, chart_measure_fn measure,
		 struct chart_layout *l)
{
	double tw, th, lw, lh, maxv = 0, left, bottom, top, right;
	char axis[128];

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
		top = PAD + th + PAD + F_LEGEND * 1.8 + PAD;
		right = 3 * PAD;
		l->height = top + 260 + bottom;
	} else if (m->kind == CHART_BARS) {
		double most = widest(m, F_LABEL, measure);

		left = PAD + F_AXIS * 1.6 + tick_width(l, measure) + PAD;
		bottom = PAD + most + PAD + F_AXIS * 1.6;
		top = PAD + th + PAD + F_LEGEND * 1.8 + PAD;
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
		right = PAD + 24 + most + 2 * PAD; /* the legend, beside */
		l->height = top + 18.0 * (double)m->ncats + bottom;
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
		/* legend row above the plot, outside the data */
		double x = l->plot.x;

		for (size_t s = 0; s < m->nseries; s++) {
			measure(m->series[s], F_LEGEND, &lw, &lh);
			add_label(l, m->series[s], F_LEGEND, x + 18,
				  PAD + th + PAD, 0, measure);
			x += 18 + lw + 3 * PAD;
		}
		l->legend = (struct chart_box){ l->plot.x, PAD + th + PAD,
						x - l->plot.x, F_LEGEND * 1.4 };
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
		l->legend = (struct chart_box){ l->plot.x + l->plot.w + PAD,
						l->plot.y, right - PAD,
						18.0 * (double)m->ncats };
	}
	/* no two labels may overlap */
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

/* The x of ratio V in a forest plot (clipped to the plot). */
static double forest_x(const struct chart_layout *l, double v)
{
	if (!isfinite(v) || v < l->xmin)
		v = l->xmin;
	if (v > l->xmax)
		v = l->xmax;
	return l->plot.x + (v - l->xmin) / (l->xmax - l->xmin) * l->plot.w;
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
				forest_x(l, m->lo[0][c]), forest_x(l, m->hi[0][c]),
				m->verdict[c], m->cats[c]);
	}
	if (m->kind == CHART_HIST) {
		fprintf(fp, "  xaxis min=%g max=%g unit=%s ticks=", l->xmin, l->xmax,
			l->xunit);
		for (size_t i = 0; i < l->nxticks; i++)
			fprintf(fp, "%s%g", i ? "," : "", l->xticks[i]);
		fputc('\n', fp);
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

			chart_style(style_of(m, k), hex, &dash);
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

/* ---- drawing ---- */

static cairo_t *measure_cr;
static cairo_surface_t *measure_surface;

static void font(cairo_t *cr, double size)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       size >= F_TITLE ? CAIRO_FONT_WEIGHT_BOLD
					       : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

void chart_measure_release(void)
{
	if (measure_cr)
		cairo_destroy(measure_cr);
	if (measure_surface)
		cairo_surface_destroy(measure_surface);
	measure_cr = NULL;
	measure_surface = NULL;
	/* cairo's and fontconfig's caches: freed so that leak checkers see
	 * a clean exit (every cairo object is gone by now) */
	cairo_debug_reset_static_data();
	FcFini();
}

void chart_measure_cairo(const char *text, double size, double *w, double *h)
{
	cairo_text_extents_t te;
	cairo_font_extents_t fe;

	if (!measure_cr) {
		measure_surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
		measure_cr = cairo_create(measure_surface);
	}
	font(measure_cr, size);
	cairo_text_extents(measure_cr, text, &te);
	cairo_font_extents(measure_cr, &fe);
	*w = te.x_advance;
	*h = fe.ascent + fe.descent;
}

static void draw_label(cairo_t *cr, const struct chart_label *lb)
{
	cairo_font_extents_t fe;

	font(cr, lb->size);
	cairo_font_extents(cr, &fe);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_save(cr);
	if (lb->angle == 0) {
		cairo_move_to(cr, lb->x, lb->y + fe.ascent);
	} else {
		cairo_translate(cr, lb->x + fe.ascent, lb->y);
		cairo_rotate(cr, lb->angle);
		cairo_move_to(cr, 0, 0);
	}
	cairo_show_text(cr, lb->text);
	cairo_restore(cr);
}

/* a value in display units to a y pixel, snapped */
static double ypix(const struct chart_layout *l, double v)
{
	double y = l->plot.y + l->plot.h -
		   (v - l->vmin) / (l->vmax - l->vmin) * l->plot.h;

	return floor(y) + 0.5;
}

static void series_style(cairo_t *cr, size_t k)
{
	size_t d = (k / 8) % NDASH;

	cairo_set_source_rgb(cr, palette[k % 8][0], palette[k % 8][1],
			     palette[k % 8][2]);
	cairo_set_dash(cr, dash_pat[d], dash_len[d], 0);
}

/* A colour square before each series' name in the legend row. */
static void legend_swatches(cairo_t *cr, const struct chart_model *m,
			    const struct chart_layout *l)
{
	for (size_t s = 0, k = 0; s < m->nseries; s++) {
		for (; k < l->nlabels; k++)
			if (strcmp(l->labels[k].text, m->series[s]) == 0)
				break;
		if (k == l->nlabels)
			break;
		series_style(cr, style_of(m, s));
		cairo_rectangle(cr, l->labels[k].box.x - 16,
				l->labels[k].box.y + 2, 12, 12);
		cairo_fill(cr);
	}
}

static cairo_status_t png_write(void *closure, const unsigned char *data,
				unsigned int length)
{
	return fwrite(data, 1, length, closure) == length
		       ? CAIRO_STATUS_SUCCESS
		       : CAIRO_STATUS_WRITE_ERROR;
}

/* The chart drawn on CR: one drawing for every surface (PNG, SVG). */
static void draw(cairo_t *cr, const struct chart_model *m,
		 const struct chart_layout *l)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	/* grid and axes */
	cairo_set_line_width(cr, 1);
	if (m->kind != CHART_RANKS && m->kind != CHART_FOREST)
		for (size_t i = 0; i < l->nticks; i++) {
			double y = ypix(l, l->ticks[i]);

			cairo_set_source_rgb(cr, i == 0 ? 0.3 : 0.88,
					     i == 0 ? 0.3 : 0.88, i == 0 ? 0.3 : 0.88);
			cairo_move_to(cr, floor(l->plot.x) + 0.5, y);
			cairo_line_to(cr, floor(l->plot.x + l->plot.w) + 0.5, y);
			cairo_stroke(cr);
		}
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_move_to(cr, floor(l->plot.x) + 0.5, floor(l->plot.y) + 0.5);
	cairo_line_to(cr, floor(l->plot.x) + 0.5,
		      floor(l->plot.y + l->plot.h) + 0.5);
	cairo_stroke(cr);
	if (m->kind == CHART_BARS) {
		double bw = l->slot * 0.8 / (double)m->nseries;

		for (size_t s = 0; s < m->nseries; s++) {
			for (size_t c = 0; c < m->ncats; c++) {
				double x = l->plot.x + l->slot * (double)c +
					   l->slot * 0.1 + bw * (double)s;
				double v = m->v[s][c] / l->scale, y0 = ypix(l, 0),
				       y = ypix(l, v);

				if (!isfinite(v))
					continue;
				series_style(cr, style_of(m, s));
				cairo_rectangle(cr, floor(x), y, floor(bw) - 1, y0 - y);
				cairo_fill(cr);
				if (isfinite(m->lo[s][c]) && isfinite(m->hi[s][c])) {
					double xm = floor(x + bw / 2) + 0.5;
					double ya = ypix(l, m->lo[s][c] / l->scale);
					double yb = ypix(l, m->hi[s][c] / l->scale);

					cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
					cairo_move_to(cr, xm, ya);
					cairo_line_to(cr, xm, yb);
					cairo_move_to(cr, xm - 3, ya);
					cairo_line_to(cr, xm + 3, ya);
					cairo_move_to(cr, xm - 3, yb);
					cairo_line_to(cr, xm + 3, yb);
					cairo_stroke(cr);
				}
			}
		}
		legend_swatches(cr, m, l);
	} else if (m->kind == CHART_HIST) {
		for (size_t s = 0; s < m->nseries; s++) {
			for (size_t b = 0; b < m->nbins[s]; b++) {
				double xa = l->plot.x + (m->lo[s][b] / l->xscale - l->xmin) /
							       (l->xmax - l->xmin) * l->plot.w;
				double xb = l->plot.x + (m->hi[s][b] / l->xscale - l->xmin) /
							       (l->xmax - l->xmin) * l->plot.w;
				double y = ypix(l, m->v[s][b] * l->xscale);
				double y0 = ypix(l, 0);

				size_t k = style_of(m, s);

				cairo_set_source_rgba(cr, palette[k % 8][0],
						      palette[k % 8][1],
						      palette[k % 8][2], 0.35);
				cairo_rectangle(cr, xa, y, xb - xa, y0 - y);
				cairo_fill_preserve(cr);
				series_style(cr, k);
				cairo_stroke(cr);
			}
		}
		legend_swatches(cr, m, l);
	} else if (m->kind == CHART_FOREST) {
		double row = l->plot.h / (double)m->ncats;
		static const double d[] = { 4, 4 };
		double x1 = floor(forest_x(l, 1)) + 0.5;

		/* the grid at the ticks, and 1 marked */
		for (size_t i = 0; i < l->nxticks; i++) {
			double x = floor(forest_x(l, l->xticks[i])) + 0.5;

			cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
			cairo_move_to(cr, x, l->plot.y);
			cairo_line_to(cr, x, l->plot.y + l->plot.h);
			cairo_stroke(cr);
		}
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		cairo_set_dash(cr, d, 2, 0);
		cairo_move_to(cr, x1, l->plot.y);
		cairo_line_to(cr, x1, l->plot.y + l->plot.h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		for (size_t c = 0; c < m->ncats; c++) {
			double y = floor(l->plot.y + row * ((double)c + 0.5)) + 0.5;
			const double *col = m->verdict[c] > 0 ? palette[3]
					    : m->verdict[c] < 0 ? palette[2]
								 : NULL;

			if (!isfinite(m->v[0][c]))
				continue;
			if (col)
				cairo_set_source_rgb(cr, col[0], col[1], col[2]);
			else
				cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
			cairo_set_line_width(cr, 4);
			cairo_move_to(cr, forest_x(l, m->lo[0][c]), y);
			cairo_line_to(cr, forest_x(l, m->hi[0][c]), y);
			cairo_stroke(cr);
			cairo_arc(cr, forest_x(l, m->v[0][c]), y, 5, 0, 2 * M_PI);
			cairo_fill(cr);
		}
		cairo_set_line_width(cr, 1);
	} else if (m->kind == CHART_RANKS) {
		double row = l->plot.h / (double)m->ncats;

		for (size_t c = 0; c < m->ncats; c++) {
			double y = floor(l->plot.y + row * ((double)c + 0.5)) + 0.5;
			double xa = l->plot.x + (m->lo[0][c] - 0.5) /
							l->vmax * l->plot.w;
			double xb = l->plot.x + (m->hi[0][c] - 0.5) /
							l->vmax * l->plot.w;
			double xp = l->plot.x + (m->v[0][c] - 0.5) /
							l->vmax * l->plot.w;

			cairo_set_source_rgb(cr, palette[4][0], palette[4][1],
					     palette[4][2]);
			cairo_set_line_width(cr, 8);
			cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
			cairo_move_to(cr, xa, y);
			cairo_line_to(cr, xb, y);
			cairo_stroke(cr);
			cairo_set_source_rgb(cr, palette[0][0], palette[0][1],
					     palette[0][2]);
			cairo_arc(cr, xp, y, 5, 0, 2 * M_PI);
			cairo_fill(cr);
		}
		cairo_set_line_width(cr, 1);
	} else {
		cairo_set_line_width(cr, 2);
		for (size_t c = 0; c < m->ncats; c++) {
			series_style(cr, style_of(m, c));
			for (size_t i = 0; i < CHART_LINE_POINTS; i++) {
				/* data curves are not snapped: only rules are */
				double x = l->plot.x + (double)i / 100.0 * l->plot.w;
				double y = l->plot.y + l->plot.h -
					   (m->line_y[c][i] / l->scale - l->vmin) /
						   (l->vmax - l->vmin) * l->plot.h;

				if (i == 0)
					cairo_move_to(cr, x, y);
				else
					cairo_line_to(cr, x, y);
			}
			cairo_stroke(cr);
			/* the legend swatch: the line's own colour and dash */
			cairo_move_to(cr, l->plot.x + l->plot.w + 8,
				      l->plot.y + 18.0 * (double)c + 7.5);
			cairo_rel_line_to(cr, 20, 0);
			cairo_stroke(cr);
		}
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		for (size_t k = 0; k < m->nmarks; k++) {
			cairo_arc(cr, l->plot.x + m->mark_x[k] * l->plot.w,
				  ypix(l, m->mark_y[k] / l->scale), 3, 0, 2 * M_PI);
			cairo_fill(cr);
		}
		if (isfinite(m->marked_x)) {
			static const double d[] = { 4, 4 };
			double x = floor(l->plot.x + m->marked_x * l->plot.w) + 0.5;

			cairo_set_line_width(cr, 1);
			cairo_set_dash(cr, d, 2, 0);
			cairo_move_to(cr, x, l->plot.y);
			cairo_line_to(cr, x, l->plot.y + l->plot.h);
			cairo_stroke(cr);
			cairo_set_dash(cr, NULL, 0, 0);
		}
	}
	cairo_set_dash(cr, NULL, 0, 0);
	for (size_t i = 0; i < l->nlabels; i++)
		draw_label(cr, &l->labels[i]);
}

int chart_draw_png(const struct chart_model *m, const struct chart_layout *l,
		   const char *path)
{
	cairo_surface_t *sf = cairo_image_surface_create(
		CAIRO_FORMAT_ARGB32, (int)l->width, (int)l->height);
	cairo_t *cr = cairo_create(sf);
	struct outfile of;
	int rc = -1;

	draw(cr, m, l);
	cairo_surface_flush(sf);
	if (outfile_open(&of, path) == 0) {
		if (cairo_surface_write_to_png_stream(sf, png_write, of.fp) ==
		    CAIRO_STATUS_SUCCESS)
			rc = outfile_commit(&of);
		else {
			diag_at(DIAG_ERROR, path, 0, 0, "cannot write the chart");
			outfile_abort(&of);
		}
	}
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	return rc;
}

int chart_draw_svg(const struct chart_model *m, const struct chart_layout *l,
		   const char *path)
{
	struct outfile of;
	cairo_surface_t *sf;
	cairo_t *cr;
	int rc = -1;

	if (outfile_open(&of, path) != 0)
		return -1;
	/* whole pixels, as the PNG's image surface has them */
	sf = cairo_svg_surface_create_for_stream(png_write, of.fp,
						 (double)(int)l->width,
						 (double)(int)l->height);
	/* sizes in pixels, as the PNG's, so that both fill the same box */
	cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
	cr = cairo_create(sf);
	draw(cr, m, l);
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (cairo_surface_status(sf) == CAIRO_STATUS_SUCCESS && !ferror(of.fp))
		rc = outfile_commit(&of);
	else {
		diag_at(DIAG_ERROR, path, 0, 0, "cannot write the chart");
		outfile_abort(&of);
	}
	cairo_surface_destroy(sf);
	return rc;
}
