/* Charts: drawing a laid-out model with cairo, to PNG or SVG, in the
 * report-wide colours.  See chart.h. */
#include "chart_int.h"
#include "../lib/diag.h"
#include "../lib/outfile.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

void chart_style(size_t k, char hex[8], int *dash)
{
	snprintf(hex, 8, "#%02x%02x%02x",
		 (unsigned)lround(palette[k % 8][0] * 255),
		 (unsigned)lround(palette[k % 8][1] * 255),
		 (unsigned)lround(palette[k % 8][2] * 255));
	*dash = (int)((k / 8) % NDASH);
}

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
/* A line chart's curve Y (x = i / 100), stroked in the current style;
 * data curves are not snapped: only rules are. */
static void curve_path(cairo_t *cr, const struct chart_layout *l,
		       const double *y)
{
	for (size_t i = 0; i < CHART_LINE_POINTS; i++) {
		double x = l->plot.x + (double)i / 100.0 * l->plot.w;
		double yp = l->plot.y + l->plot.h -
			    (y[i] / l->scale - l->vmin) / (l->vmax - l->vmin) *
				    l->plot.h;

		if (i == 0)
			cairo_move_to(cr, x, yp);
		else
			cairo_line_to(cr, x, yp);
	}
	cairo_stroke(cr);
}

/* A filled shape's second channel past the 8 colours: style K's pattern
 * number (as a line's dash) as white hatching over the rectangle: 1 /,
 * 2 \, 3 horizontal, 4 vertical, 5 both diagonals. */
static void hatch(cairo_t *cr, size_t k, double x, double y, double w,
		  double h)
{
	size_t d = (k / 8) % NDASH;
	const double step = 5;

	if (d == 0 || !(w > 0) || !(h > 0))
		return;
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, 1.5);
	cairo_set_dash(cr, NULL, 0, 0);
	for (double t = -h; t < w + h; t += step) {
		if (d == 1 || d == 5) {
			cairo_move_to(cr, x + t, y + h);
			cairo_line_to(cr, x + t + h, y);
		}
		if (d == 2 || d == 5) {
			cairo_move_to(cr, x + t, y);
			cairo_line_to(cr, x + t + h, y + h);
		}
		if (d == 3 && t >= 0 && t <= h) {
			cairo_move_to(cr, x, y + t);
			cairo_line_to(cr, x + w, y + t);
		}
		if (d == 4 && t >= 0 && t <= w) {
			cairo_move_to(cr, x + t, y);
			cairo_line_to(cr, x + t, y + h);
		}
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void legend_swatches(cairo_t *cr, const struct chart_model *m,
			    const struct chart_layout *l)
{
	for (size_t s = 0, k = 0; s < m->nseries; s++) {
		for (; k < l->nlabels; k++)
			if (strcmp(l->labels[k].text, m->series[s]) == 0)
				break;
		if (k == l->nlabels)
			break;
		series_style(cr, chart_style_of(m, s));
		cairo_rectangle(cr, l->labels[k].box.x - 16,
				l->labels[k].box.y + 2, 12, 12);
		cairo_fill(cr);
		if (m->kind == CHART_BARS)
			hatch(cr, chart_style_of(m, s), l->labels[k].box.x - 16,
			      l->labels[k].box.y + 2, 12, 12);
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
				series_style(cr, chart_style_of(m, s));
				cairo_rectangle(cr, floor(x), y, floor(bw) - 1, y0 - y);
				cairo_fill(cr);
				hatch(cr, chart_style_of(m, s), floor(x), y,
				      floor(bw) - 1, y0 - y);
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

				size_t k = chart_style_of(m, s);

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
		double x1 = floor(chart_forest_x(l, 1)) + 0.5;

		/* the grid at the ticks, and 1 marked */
		for (size_t i = 0; i < l->nxticks; i++) {
			double x = floor(chart_forest_x(l, l->xticks[i])) + 0.5;

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
			cairo_move_to(cr, chart_forest_x(l, m->lo[0][c]), y);
			cairo_line_to(cr, chart_forest_x(l, m->hi[0][c]), y);
			cairo_stroke(cr);
			cairo_arc(cr, chart_forest_x(l, m->v[0][c]), y, 5, 0, 2 * M_PI);
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
		/* the unnamed lines first, under the named ones; their
		 * legend row a grey swatch */
		cairo_set_line_width(cr, 1);
		cairo_set_source_rgb(cr, 0.78, 0.78, 0.78);
		for (size_t c = 0; c < m->nmuted; c++)
			curve_path(cr, l, m->muted_y[c]);
		if (m->nmuted) {
			cairo_set_line_width(cr, 2);
			cairo_move_to(cr, l->plot.x + l->plot.w + 8,
				      l->plot.y + 18.0 * (double)m->ncats + 7.5);
			cairo_rel_line_to(cr, 20, 0);
			cairo_stroke(cr);
		}
		cairo_set_line_width(cr, 2);
		for (size_t c = 0; c < m->ncats; c++) {
			series_style(cr, chart_style_of(m, c));
			curve_path(cr, l, m->line_y[c]);
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

/* ---- PNG encoding on a second thread ----
 *
 * Compressing the pixels (zlib, in cairo_surface_write_to_png_stream) is
 * half of a report's time at many configurations, and does not need the
 * main thread: it draws the chart, opens the file and queues the
 * surface; a second thread encodes the queued surfaces in order; the
 * main thread commits each finished file (outfile's bookkeeping and the
 * diagnostics stay on it), in order, at its next chart and at
 * chart_png_finish.  The same bytes as encoding in place; on one CPU, or
 * when the thread cannot start, it encodes in place. */
struct png_job {
	cairo_surface_t *sf;
	struct outfile of;
	char *path;
	int done, ok;
	struct png_job *next;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct png_job *first, *last; /* queued, oldest first */
	struct png_job *todo;         /* the next one to encode */
	size_t queued;                /* on the main thread's side */
	pthread_t thread;
	int started, stop, failed;
} pq = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	 PTHREAD_COND_INITIALIZER, NULL, NULL, NULL, 0, 0, 0, 0, 0 };

/* at most this many surfaces wait (their pixels are held meanwhile) */
#define PNG_QUEUE 4

/* The image surface SF as a PNG on FP, with libpng rather than cairo's
 * writer: cairo's (zlib level 6, every filter tried on every row) took
 * 0.81 s for the 54 charts of 200 configurations; zlib level 3 without
 * filters 0.20 s, for files 13% larger and the same pixels (checked).
 * 8-bit RGB: a chart is drawn on white, and a pixel that is not opaque
 * is put on white as the page would (cairo's colours are premultiplied:
 * c + 255 - alpha); 1 on success. */
static int png_encode(cairo_surface_t *sf, FILE *fp)
{
	int w = cairo_image_surface_get_width(sf), h = cairo_image_surface_get_height(sf);
	int stride = cairo_image_surface_get_stride(sf);
	const unsigned char *data = cairo_image_surface_get_data(sf);
	png_structp png;
	png_infop info;
	unsigned char *volatile row = NULL;

	if (!data || w <= 0 || h <= 0 ||
	    cairo_image_surface_get_format(sf) != CAIRO_FORMAT_ARGB32)
		return 0;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info || !(row = malloc((size_t)w * 3))) {
		png_destroy_write_struct(&png, info ? &info : NULL);
		return 0;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return 0;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
		     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		unsigned char *o = row;

		for (int x = 0; x < w; x++) {
			uint32_t v = px[x], white = 0xff - (v >> 24);

			*o++ = (unsigned char)(((v >> 16) & 0xff) + white);
			*o++ = (unsigned char)(((v >> 8) & 0xff) + white);
			*o++ = (unsigned char)((v & 0xff) + white);
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return fflush(fp) == 0 && !ferror(fp);
}

static void *png_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pq.mu);
	for (;;) {
		struct png_job *j;

		while (!pq.todo && !pq.stop)
			pthread_cond_wait(&pq.work, &pq.mu);
		if (!pq.todo)
			break;
		j = pq.todo;
		pq.todo = j->next;
		pthread_mutex_unlock(&pq.mu);
		j->ok = png_encode(j->sf, j->of.fp);
		pthread_mutex_lock(&pq.mu);
		j->done = 1;
		pthread_cond_signal(&pq.done);
	}
	pthread_mutex_unlock(&pq.mu);
	return NULL;
}

/* Commit the finished jobs at the head of the queue, in order, waiting
 * for them while more than KEEP are queued. */
static void png_reap(size_t keep)
{
	for (;;) {
		struct png_job *j;

		pthread_mutex_lock(&pq.mu);
		j = pq.first;
		while (j && pq.queued > keep && !j->done)
			pthread_cond_wait(&pq.done, &pq.mu);
		if (!j || !j->done) {
			pthread_mutex_unlock(&pq.mu);
			return;
		}
		pq.first = j->next;
		if (!pq.first)
			pq.last = NULL;
		pq.queued--;
		pthread_mutex_unlock(&pq.mu);
		if (j->ok) {
			if (outfile_commit(&j->of) != 0)
				pq.failed = 1;
		} else {
			diag_at(DIAG_ERROR, j->path, 0, 0, "cannot write the chart");
			outfile_abort(&j->of);
			pq.failed = 1;
		}
		cairo_surface_destroy(j->sf);
		free(j->path);
		free(j);
	}
}

int chart_png_finish(void)
{
	int failed;

	png_reap(0);
	if (pq.started) {
		pthread_mutex_lock(&pq.mu);
		pq.stop = 1;
		pthread_cond_signal(&pq.work);
		pthread_mutex_unlock(&pq.mu);
		pthread_join(pq.thread, NULL);
		pq.started = pq.stop = 0;
	}
	failed = pq.failed;
	pq.failed = 0;
	return failed ? -1 : 0;
}

int chart_draw_png(const struct chart_model *m, const struct chart_layout *l,
		   const char *path)
{
	cairo_surface_t *sf = cairo_image_surface_create(
		CAIRO_FORMAT_ARGB32, (int)l->width, (int)l->height);
	cairo_t *cr = cairo_create(sf);
	struct png_job *j = calloc(1, sizeof *j);
	int rc = -1;

	draw(cr, m, l);
	cairo_destroy(cr);
	cairo_surface_flush(sf);
	png_reap(PNG_QUEUE - 1);
	if (!pq.started && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
	    pthread_create(&pq.thread, NULL, png_worker, NULL) == 0)
		pq.started = 1;
	if (!j || !(j->path = strdup(path))) {
		diag(DIAG_ERROR, "out of memory");
	} else if (outfile_open(&j->of, path) == 0) {
		if (!pq.started) { /* in place */
			if (png_encode(sf, j->of.fp))
				rc = outfile_commit(&j->of);
			else {
				diag_at(DIAG_ERROR, path, 0, 0, "cannot write the chart");
				outfile_abort(&j->of);
			}
		} else {
			j->sf = sf;
			pthread_mutex_lock(&pq.mu);
			if (pq.last)
				pq.last->next = j;
			else
				pq.first = j;
			pq.last = j;
			pq.queued++;
			if (!pq.todo)
				pq.todo = j;
			pthread_cond_signal(&pq.work);
			pthread_mutex_unlock(&pq.mu);
			return 0; /* its outcome: chart_png_finish */
		}
	}
	if (j)
		free(j->path);
	free(j);
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
