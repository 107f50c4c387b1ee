/*
 * chart: PNG charts in three layers.
 *
 *   model   what to show: categories, series, values (pure data)
 *   layout  where: plot rectangle, axis range, ticks, label boxes; text is
 *           measured through one function; chart_dump() prints it, so tests
 *           check charts without comparing pixels (chart.c)
 *   draw    cairo only draws what the layout decided (chart_draw.c)
 *
 * Kinds: BARS (per category one bar per series with an interval whisker;
 * the value axis starts at zero), RANKS (per category a bar from rank_lo
 * to rank_hi with a dot at the point rank), LINES (series over x in [0, 1],
 * with crossover marks and a marked x), HIST (per series, bins [lo, hi)
 * with a density each, overlaid; x is a time axis), FOREST (per category a
 * ratio's interval lo..hi with a dot at the ratio, on a ratio axis that
 * holds 1, marked; coloured by verdict[]: slower vermillion, faster
 * bluish green, the rest grey).
 */
#ifndef VMNETRANK_CHART_H
#define VMNETRANK_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "../lib/metric.h"

enum chart_kind { CHART_BARS, CHART_RANKS, CHART_LINES, CHART_HIST,
		  CHART_FOREST };

#define CHART_MAX_CATS 256
#define CHART_MAX_SERIES 16
#define CHART_LINE_POINTS 101
/* what one chart shows at most, so that its labels stay readable: the
 * report draws the first ones and says how many it leaves out */
#define CHART_MAX_BARS 40   /* categories of a bar chart */
#define CHART_MAX_LINES 12  /* lines of a sensitivity chart */
#define CHART_MAX_HISTS 12  /* distribution charts of a workload */
#define CHART_MAX_ROWS 60   /* rows of a rank-interval chart */

struct chart_model {
	enum chart_kind kind;
	char title[160];
	char xlabel[80], ylabel[80];
	size_t ncats, nseries;
	char cats[CHART_MAX_CATS][96];       /* category (or line) names */
	char series[CHART_MAX_SERIES][32];   /* BARS: series names */
	/* BARS: v[series][cat], lo, hi (NaN: no whisker).  Times in us. */
	double v[CHART_MAX_SERIES][CHART_MAX_CATS];
	double lo[CHART_MAX_SERIES][CHART_MAX_CATS];
	double hi[CHART_MAX_SERIES][CHART_MAX_CATS];
	/* RANKS: point rank and interval per category (series 0); the
	 * axis runs to RANK_MAX (0: ncats), when the chart shows the first
	 * rows of a longer ranking */
	size_t rank_max;
	/* LINES: y[cat][i] at x = i / 100, marks at (mark_x, mark_y) */
	double line_y[CHART_MAX_CATS][CHART_LINE_POINTS];
	double mark_x[256], mark_y[256];
	size_t nmarks;
	double marked_x; /* NaN: none (the user's share) */
	/* LINES: the lines not named in the legend, drawn thin and grey
	 * under the named ones and inside the value axis; the legend's last
	 * row says how many */
	size_t nmuted;
	double muted_y[CHART_MAX_CATS][CHART_LINE_POINTS];
	/* HIST: series s has nbins[s] bins lo[s][b]..hi[s][b], density v[s][b]
	 * (per microsecond) */
	size_t nbins[CHART_MAX_SERIES];
	/* FOREST: v[0], lo[0], hi[0] per category; verdict 1 slower, -1
	 * faster, 0 neither */
	signed char verdict[CHART_MAX_CATS];
	/* the unit of the values (HIST: of x): times in us are shown in
	 * us/ms/s, rates in B/s or op/s with k, M, G (lib/metric.h) */
	enum metric_unit unit;
	/* the style of each coloured item (BARS and HIST: series; LINES:
	 * lines), when STYLED: an index into one report-wide sequence, so
	 * that one configuration (or factor value) is drawn alike in every
	 * chart; else the item's own index.  Style k: colour k mod 8 of the
	 * Okabe-Ito palette, pattern k / 8 (none first): a dash pattern on
	 * lines and outlines, white hatching on bars */
	int styled;
	unsigned short style[CHART_MAX_CATS];
	/* shared scales, for charts a reader compares: BARS and LINES, the
	 * value axis reaches at least SHARE_VMAX (0: its own data only);
	 * HIST, with SHARE_X, the time axis spans [SHARE_XLO, SHARE_XHI] too
	 * (in the model's units) */
	double share_vmax;
	int share_x;
	double share_xlo, share_xhi;
};

/* The colour (as #rrggbb) and dash pattern number of style K. */
void chart_style(size_t k, char hex[8], int *dash);

struct chart_box {
	double x, y, w, h;
};

struct chart_label {
	struct chart_box box; /* the text's extent, after any rotation */
	double x, y;          /* where the text starts (baseline) */
	double angle;         /* radians */
	double size;
	char text[128];
};

#define CHART_MAX_LABELS 256

struct chart_layout {
	double width, height;
	struct chart_box plot;
	double vmin, vmax;      /* value axis range, in display units */
	double scale;           /* display unit = value / scale */
	char unit[8];
	double ticks[24];
	size_t nticks;
	struct chart_label labels[CHART_MAX_LABELS];
	size_t nlabels;
	struct chart_box legend;
	double slot;            /* width of one category */
	/* HIST: the horizontal time axis */
	double xmin, xmax, xscale;
	char xunit[8];
	double xticks[24];
	size_t nxticks;
};

/* Measures TEXT at SIZE points: width and height (ascent + descent). */
typedef void (*chart_measure_fn)(const char *text, double size, double *w,
				 double *h);

/* The measure function of the drawing layer (cairo, DejaVu Sans). */
void chart_measure_cairo(const char *text, double size, double *w, double *h);

/* Free what chart_measure_cairo() keeps between calls. */
void chart_measure_release(void);

/* Lay the model out; 0, or -1 when it cannot be drawn without overlap. */
int chart_layout(const struct chart_model *m, chart_measure_fn measure,
		 struct chart_layout *l);

/* The layout as text: plot rectangle, axis range, ticks, label boxes. */
void chart_dump(FILE *fp, const char *name, const struct chart_model *m,
		const struct chart_layout *l);

/* Draw to a PNG at PATH (written whole or not at all).  The file may be
 * encoded and committed later, on a second thread: chart_png_finish
 * waits for every one and says whether all were written. */
int chart_draw_png(const struct chart_model *m, const struct chart_layout *l,
		   const char *path);

/* Wait for the PNGs chart_draw_png queued; 0 when every one was written,
 * -1 (said) when some was not. */
int chart_png_finish(void);

/* The same drawing as SVG (cairo's SVG surface), written the same way. */
int chart_draw_svg(const struct chart_model *m, const struct chart_layout *l,
		   const char *path);

#endif
