/* The XHTML report, built with libxml2's tree API from a template. */
#include "report_int.h"
#include "../lib/diag.h"
#include "../lib/metric.h"
#include "../lib/outfile.h"
#include "../lib/verdict.h"
#include "../stats/kernel.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef VMNETRANK_VERSION
#define VMNETRANK_VERSION "0.1.0"
#endif
#ifndef VMNETRANK_DATADIR
#define VMNETRANK_DATADIR "/usr/local/share/vmnetrank"
#endif

/*
 * The template when no --template is given: an installed binary
 * (PREFIX/bin/vmnetrank) uses PREFIX/share/vmnetrank; a binary anywhere
 * else is a build tree's (the checkout's ./vmnetrank, build/vmnetrank), and
 * finds templates/ beside itself or one folder up, whatever the current
 * folder is.  Failing both, the installed path (whose error names it).
 */
const char *report_default_template(void)
{
	static char found[4200];
	char exe[4096], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct stat st;

	if (n <= 0)
		return VMNETRANK_DATADIR "/templates/report.xhtml";
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return VMNETRANK_DATADIR "/templates/report.xhtml";
	*slash = '\0';
	{
		/* installed: DATADIR is PREFIX/share/vmnetrank, the binary in
		 * PREFIX/bin */
		const char *dd = VMNETRANK_DATADIR;
		const char *tail = strstr(dd, "/share/vmnetrank");
		size_t plen = tail ? (size_t)(tail - dd) : 0;

		if (tail && strlen(exe) == plen + 4 &&
		    memcmp(exe, dd, plen) == 0 && strcmp(exe + plen, "/bin") == 0)
			return VMNETRANK_DATADIR "/templates/report.xhtml";
	}
	snprintf(found, sizeof found, "%s/templates/report.xhtml", exe);
	if (stat(found, &st) == 0 && S_ISREG(st.st_mode))
		return found;
	slash = strrchr(exe, '/');
	if (slash) {
		*slash = '\0';
		snprintf(found, sizeof found, "%s/templates/report.xhtml",
			 *exe ? exe : "");
		if (stat(found, &st) == 0 && S_ISREG(st.st_mode))
			return found;
	}
	return VMNETRANK_DATADIR "/templates/report.xhtml";
}


/* A table of contents at the top of the answer: the sections, and each
 * cell of "Every cell" by the anchors it was given. */
static void contents(const struct report *R, xmlNodePtr *slot, int notes)
{
	static const char *const ids[] = { "answer", "notes", "table3",
					   "sensitivity", "cells",
					   "methodology", "provenance", NULL };
	static const char *const names[] = {
		"The answer", "About the data", "Internal and external rankings",
		"Weighted scores", "Every cell", "Methodology", "Provenance",
		NULL,
	};
	xmlNodePtr nav = xmlNewNode(NULL, BAD_CAST "div"), ul, first;

	xmlNewProp(nav, BAD_CAST "id", BAD_CAST "toc");
	cls(nav, "toc");
	add(nav, "p", "Contents");
	ul = add(nav, "ul", NULL);
	for (size_t k = 0; ids[k]; k++) {
		xmlNodePtr li, a;
		char href[48];

		if (k == 1 && !notes)
			continue;
		li = add(ul, "li", NULL);
		snprintf(href, sizeof href, "#%s", ids[k]);
		a = add(li, "a", names[k]);
		xmlNewProp(a, BAD_CAST "href", BAD_CAST href);
		if (k == 4 && R->ncellids) {
			xmlNodePtr sub = add(li, "ul", NULL);

			for (size_t c = 0; c < R->ncellids; c++) {
				snprintf(href, sizeof href, "#cell-%zu", c + 1);
				a = add(add(sub, "li", NULL), "a", R->cellids[c]);
				xmlNewProp(a, BAD_CAST "href", BAD_CAST href);
			}
		}
	}
	/* after the summary line, before the answer's heading */
	first = slot[2]->children;
	while (first && !(first->type == XML_ELEMENT_NODE &&
			  xmlStrcmp(first->name, BAD_CAST "h2") == 0))
		first = first->next;
	if (first)
		xmlAddPrevSibling(first, nav);
	else
		xmlAddChild(slot[2], nav);
}

static void section_provenance(const struct report *R,
			       const struct report_options *o, const char *dir,
			       xmlNodePtr div)
{
	static const char *const files[] = { "inputs.csv", "samples.csv",
					     "summary.csv", "reps.csv",
					     "hist.csv", "ranks.csv",
					     "pairs.csv", "kendall.csv",
					     "scores.csv", "sensitivity.csv",
					     NULL };
	const struct csvtab *in = &R->inputs;
	xmlNodePtr table, tr;

	add(div, "h2", "Provenance");
	addf(div, "p", "vmnetrank %s.", VMNETRANK_VERSION);
	if (o->command) {
		xmlNodePtr para = add(div, "p", "Command: ");

		add(para, "code", o->command);
	}
	if (o->timestamp) {
		char when[64];
		time_t now = time(NULL);

		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
		addf(div, "p", "Written %s.", when);
	}
	if (in->nrows) {
		static const char *const heads[] = {
			"Input", "Format", "Bytes", "SHA-256", "Rows",
			"Rejected", "Warm-up", "Failed", "Interrupted",
			"Left out", "Start stamps (\xC2\xB5s)",
			"Header metadata", NULL,
		};
		static const char *const cols[] = {
			"path", "format", "bytes", "sha256", "rows",
			"rejected", "warmup", "failed", "interrupted",
			"left_out", "start_res_us", "meta", NULL,
		};

		add(div, "h3", "Raw logs");
		addf(div, "p", "SHA-256 shortened to 12 hex digits and long "
			       "header metadata to its start (the whole of "
			       "each in its tooltip and in inputs.csv).");
		table = add(div, "table", NULL);
		cls(table, "inputs");
		tr = add(table, "tr", NULL);
		for (size_t h = 0; heads[h]; h++)
			add(tr, "th", heads[h]);
		for (size_t r = 0; r < in->nrows; r++) {
			tr = add(table, "tr", NULL);
			for (size_t c = 0; cols[c]; c++) {
				const char *v = csvtab_get(in, r, csvtab_col(in, cols[c]));
				xmlNodePtr td;

				if (c == 3) {
					/* 12 hex digits shown, the whole hash
					 * in the title (and in inputs.csv) */
					xmlNodePtr sp;

					td = add(tr, "td", NULL);
					sp = addf(td, "span", "%.12s", v);
					xmlNewProp(sp, BAD_CAST "title", BAD_CAST v);
					cls(td, "hash");
					continue;
				}
				if (c == 11 && strlen(v) > 72) {
					/* a log's header can hold its whole
					 * command line: its start shown, all of
					 * it in the title (and in inputs.csv) */
					xmlNodePtr sp;
					size_t cut = 64;

					while (cut > 0 && (v[cut] & 0xC0) == 0x80)
						cut--; /* not inside a UTF-8 character */
					td = add(tr, "td", NULL);
					sp = addf(td, "span", "%.*s\xE2\x80\xA6", (int)cut, v);
					xmlNewProp(sp, BAD_CAST "title", BAD_CAST v);
					cls(td, "meta");
					continue;
				}
				td = add(tr, "td", v);
				if (c == 2 || (c >= 4 && c <= 7) || c == 9 || c == 10)
					cls(td, "num");
				else if (c == 11)
					cls(td, "meta");
			}
		}
	}
	add(div, "h3", "Stage files");
	table = add(div, "table", NULL);
	tr = add(table, "tr", NULL);
	add(tr, "th", "File");
	add(tr, "th", "Bytes");
	for (size_t i = 0; files[i]; i++) {
		char *fp = outfile_path(dir, files[i]);
		struct stat st;

		if (fp && stat(fp, &st) == 0) {
			tr = add(table, "tr", NULL);
			add(tr, "td", files[i]);
			cls(addf(tr, "td", "%lld", (long long)st.st_size), "num");
		}
		free(fp);
	}
}

/* ---- saving ---- */

static int write_cb(void *ctx, const char *buf, int len)
{
	return fwrite(buf, 1, (size_t)len, ctx) == (size_t)len ? len : -1;
}

static int close_cb(void *ctx)
{
	(void)ctx;
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	struct outfile of;
	FILE *in = fopen(from, "rb");
	char buf[8192];
	size_t n;

	struct stat st;

	if (!in || fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_at(DIAG_ERROR, from, 0, 0, "cannot read the stylesheet%s",
			in ? " (not a regular file)" : "");
		if (in)
			fclose(in);
		return -1;
	}
	outfile_note_input_fd(fileno(in));
	if (outfile_open(&of, to) != 0) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, of.fp);
	fclose(in);
	return outfile_commit(&of);
}

/* report --metric: the report shows what rank ranked; a metric asked for
 * that ranks.csv does not hold is refused, not shown from other files. */
static int check_metrics(const struct report *R, const struct report_options *o)
{
	int rc = 0;

	for (size_t k = 0; k < o->nmetrics; k++) {
		const char *s = o->metrics[k], *eq = strchr(s, '=');
		const char *name = eq ? eq + 1 : s;
		size_t wlen = eq ? (size_t)(eq - s) : 0;
		int hit = 0, miss = 0;

		if (!metric_find(name)) {
			diag(DIAG_USAGE, "--metric '%s': unknown metric "
					 "(expected %s)",
			     s, metric_names());
			rc = -1;
			continue;
		}
		for (size_t i = 0; i < R->ranks.nrows; i++) {
			const char *wl = csvtab_get(&R->ranks, i, R->r_wl);

			if (eq && (strlen(wl) != wlen || memcmp(wl, s, wlen) != 0))
				continue;
			if (strcmp(csvtab_get(&R->ranks, i, R->r_metric), name) == 0)
				hit = 1;
			else
				miss = 1;
		}
		if (miss || !hit) {
			diag(DIAG_ERROR,
			     "report: --metric %s: ranks.csv ranks %s by "
			     "another metric (or not at all); run 'vmnetrank "
			     "rank --metric %s' first",
			     s, eq ? "that workload" : "the workloads", s);
			rc = -1;
		}
	}
	return rc;
}

static const char *template_of(const struct report_options *o)
{
	return o->template_path ? o->template_path : report_default_template();
}

/* libxml2's own messages, as ours: FILE:LINE:COL: error: ... */
static void xml_error(void *ctx, xmlErrorPtr e)
{
	const char *file = e && e->file ? e->file : ctx;
	char msg[512];
	size_t n;

	if (!e)
		return;
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	diag_at(e->level == XML_ERR_WARNING ? DIAG_WARNING : DIAG_ERROR, file,
		e->line, e->int2, "%s", msg);
}

/* "DIR/report.css" beside the template TPL, newly allocated. */
static char *stylesheet_of(const char *tpl)
{
	const char *slash = strrchr(tpl, '/');
	size_t dl = slash ? (size_t)(slash - tpl) : 0;
	char *css = malloc(dl + 16);

	if (css)
		snprintf(css, dl + 16, "%.*s%sreport.css", (int)dl, tpl,
			 slash ? "/" : "");
	return css;
}

static const char *const slots[] = { "title", "heading", "answer",
				     "table3", "sensitivity", "cells",
				     "methodology", "provenance", NULL };

/* The template TPL with its placeholders in SLOT, after checking that
 * the stylesheet beside it is a readable file; NULL with diagnostics. */
static xmlDocPtr load_template(const char *tpl, xmlNodePtr *slot)
{
	xmlDocPtr doc;
	int missing = 0;
	char *css = stylesheet_of(tpl);
	struct stat st;

	if (!css) {
		diag(DIAG_ERROR, "out of memory");
		return NULL;
	}
	if (stat(tpl, &st) != 0) {
		diag_at(DIAG_ERROR, tpl, 0, 0,
			"cannot read the template: %s (without --template, "
			"the templates/ folder beside the binary, or one up, "
			"or the installed one; give --template FILE)",
			strerror(errno));
		free(css);
		return NULL;
	}
	if (stat(css, &st) != 0 || !S_ISREG(st.st_mode) || access(css, R_OK) != 0) {
		diag_at(DIAG_ERROR, css, 0, 0,
			"cannot read the stylesheet (expected a file "
			"report.css beside the template): %s",
			stat(css, &st) != 0 ? strerror(errno)
			: S_ISREG(st.st_mode) ? strerror(EACCES)
					      : "not a regular file");
		free(css);
		return NULL;
	}
	free(css);
	outfile_note_input(tpl); /* report.xhtml may not replace it */
	xmlSetStructuredErrorFunc((void *)tpl, xml_error);
	doc = xmlReadFile(tpl, NULL, XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		diag_at(DIAG_ERROR, tpl, 0, 0,
			"cannot read the template (expected well-formed "
			"XHTML)");
		return NULL;
	}
	for (int i = 0; slots[i]; i++) {
		slot[i] = find_id(xmlDocGetRootElement(doc), slots[i]);
		if (!slot[i]) {
			diag_at(DIAG_ERROR, tpl, 0, 0,
				"no element with id=\"%s\" (every template "
				"needs the placeholders title, heading, "
				"answer, table3, sensitivity, cells, "
				"methodology, provenance)",
				slots[i]);
			missing = 1;
		}
	}
	if (missing) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int report_check(const struct report_options *o)
{
	xmlNodePtr slot[8];
	xmlDocPtr doc = load_template(template_of(o), slot);

	if (!doc)
		return -1;
	xmlFreeDoc(doc);
	return 0;
}

/* sensitivity.csv as rank writes it: one winner row per scope, each
 * scope "overall" or a workload of ranks.csv (a chart is drawn per
 * scope: a file with a thousand copies of a row must not draw a thousand
 * charts).  0, or -1 with a diagnostic. */
static int check_sensitivity(const struct report *R, const char *dir)
{
	const struct csvtab *W = &R->sens;
	long sc = csvtab_col(W, "scope"), kind = csvtab_col(W, "kind");
	char *path = outfile_path(dir, "sensitivity.csv");
	int rc = 0;

	if (!W->nrows || !path) {
		free(path);
		return 0;
	}
	if (sc < 0 || kind < 0) {
		diag_at(DIAG_ERROR, path, 1, 0, "no scope and kind columns "
			"(expected sensitivity.csv as 'vmnetrank rank' writes it)");
		rc = -1;
	}
	for (size_t i = 0; i < W->nrows && rc == 0; i++) {
		const char *scope = csvtab_get(W, i, sc);
		int known = strcmp(scope, "overall") == 0;

		if (strcmp(csvtab_get(W, i, kind), "winner") != 0)
			continue;
		for (size_t k = 0; k < R->ranks.nrows && !known; k++)
			known = strcmp(csvtab_get(&R->ranks, k, R->r_wl), scope) == 0;
		for (size_t k = 0; k < i && rc == 0; k++)
			if (strcmp(csvtab_get(W, k, kind), "winner") == 0 &&
			    strcmp(csvtab_get(W, k, sc), scope) == 0) {
				diag_at(DIAG_ERROR, path, 0, 0,
					"row %zu: a second winner row for %s "
					"(expected one per scope, as 'vmnetrank "
					"rank' writes it)", i + 1, scope);
				rc = -1;
			}
		if (rc == 0 && !known) {
			diag_at(DIAG_ERROR, path, 0, 0,
				"row %zu: scope '%s' is no workload of ranks.csv "
				"(expected overall or a workload)", i + 1, scope);
			rc = -1;
		}
	}
	free(path);
	return rc;
}

int report_run(const char *dir, const struct report_options *o,
	       const char *outdir)
{
	struct report R;
	const char *tpl = template_of(o);
	const char *title = o->title ? o->title : "vmnetrank report";
	xmlDocPtr doc = NULL;
	xmlNodePtr slot[8];
	int rc = -1;
	char *p = NULL;

	memset(&R, 0, sizeof R);
	R.outdir = outdir;
	R.dir = dir;
	R.o = o;
	/* the template and its stylesheet first: nothing is drawn for a
	 * report that cannot be written */
	if (!(doc = load_template(tpl, slot)))
		goto out;
	{
		static const char *const names[] = { "summary.csv", "ranks.csv",
						     "kendall.csv", "scores.csv",
						     "sensitivity.csv", "reps.csv",
						     "hist.csv", "pairs.csv" };
		struct csvtab *t[] = { &R.summary, &R.ranks, &R.kendall,
				       &R.scores, &R.sens, &R.reps, &R.hist,
				       &R.pairs };

		for (int i = 0; i < 8; i++) {
			p = outfile_path(dir, names[i]);
			if (!p || csvtab_load(t[i], p, i < 2) != 0)
				goto out;
			free(p);
			p = NULL;
		}
	}
	p = outfile_path(dir, "baseline.csv");
	if (!p || csvtab_load(&R.baseline, p, 0) != 0)
		goto out;
	free(p);
	/* inputs.csv once, for the summary line, the design and the
	 * provenance (run writes it; the stages one by one do not) */
	p = outfile_path(dir, "inputs.csv");
	if (p) {
		struct stat ist;

		R.has_inputs = stat(p, &ist) == 0;
	}
	if (!p || csvtab_load(&R.inputs, p, 0) != 0)
		goto out;
	free(p);
	p = outfile_path(dir, "changes.csv");
	if (p) {
		struct stat cst;

		R.has_changes = stat(p, &cst) == 0;
		if (R.has_changes && csvtab_load(&R.changes, p, 1) != 0)
			goto out;
	}
	free(p);
	p = NULL;
	R.r_view = csvtab_col(&R.ranks, "view");
	R.r_wl = csvtab_col(&R.ranks, "workload");
	R.r_dir = csvtab_col(&R.ranks, "direction");
	R.r_name = csvtab_col(&R.ranks, "name");
	{
		const long pc[5] = { csvtab_col(&R.pairs, "view"),
				     csvtab_col(&R.pairs, "workload"),
				     csvtab_col(&R.pairs, "direction"),
				     csvtab_col(&R.pairs, "a"),
				     csvtab_col(&R.pairs, "b") };
		const long rc4[4] = { R.r_view, R.r_wl, R.r_dir, R.r_name };
		const long rc3[3] = { R.r_view, R.r_wl, R.r_name };

		if (csvidx_build(&R.pairs_ix, &R.pairs, pc, 5) != 0 ||
		    csvidx_build(&R.ranks_ix, &R.ranks, rc4, 4) != 0 ||
		    csvidx_build(&R.config_ix, &R.ranks, rc3, 3) != 0) {
			diag(DIAG_ERROR, "report: out of memory");
			goto out;
		}
	}
	R.r_shared = csvtab_col(&R.ranks, "shared");
	R.r_lo = csvtab_col(&R.ranks, "rank_lo");
	R.r_hi = csvtab_col(&R.ranks, "rank_hi");
	R.r_p1 = csvtab_col(&R.ranks, "p_rank1");
	R.r_mean = csvtab_col(&R.ranks, "mean");
	R.r_cilo = csvtab_col(&R.ranks, "ci_lo");
	R.r_cihi = csvtab_col(&R.ranks, "ci_hi");
	R.r_n = csvtab_col(&R.ranks, "n_reps");
	R.r_metric = csvtab_col(&R.ranks, "metric");
	R.r_elig = csvtab_col(&R.ranks, "eligible");
	R.r_fshare = csvtab_col(&R.ranks, "failed_share");
	R.r_nops = csvtab_col(&R.ranks, "n_ops");
	R.r_failed = csvtab_col(&R.ranks, "failed_ops");
	R.r_mnote = csvtab_col(&R.ranks, "metric_note");
	if (R.r_view != 0 || R.r_dir < 0 || R.r_name <= R.r_dir ||
	    R.r_lo < 0 || R.r_mean < 0 || R.r_metric < 0 || R.r_elig < 0 ||
	    R.summary.nrows == 0 || csvtab_col(&R.summary, "metric") < 0) {
		diag_at(DIAG_ERROR, dir, 0, 0,
			"ranks.csv or summary.csv is not as 'vmnetrank rank' "
			"and 'vmnetrank stats' write them");
		goto out;
	}
	R.f0 = (size_t)R.r_dir + 1;
	R.nf = (size_t)R.r_name - R.f0;
	if (check_metrics(&R, o) != 0 || check_sensitivity(&R, dir) != 0)
		goto out;
	/* what rank ranked: reps.csv's figures (with --steady summary.csv
	 * holds both kinds) */
	{
		long rd = csvtab_col(&R.reps, "data"), sd = csvtab_col(&R.summary, "data");

		R.data = R.reps.nrows && rd >= 0 ? csvtab_get(&R.reps, 0, rd)
			 : sd >= 0		  ? csvtab_get(&R.summary, 0, sd)
						  : "all";
		if (group_index(&R, &R.summary, 1, &R.summary_ix) != 0 ||
		    group_index(&R, &R.summary, 0, &R.summary_gix) != 0 ||
		    group_index(&R, &R.reps, 0, &R.reps_gix) != 0 ||
		    group_index(&R, &R.hist, 0, &R.hist_gix) != 0) {
			diag(DIAG_ERROR, "report: out of memory");
			goto out;
		}
	}
	{
		double c = strtod(csvtab_get(&R.summary, 0,
					     csvtab_col(&R.summary, "confidence")),
				  NULL);
		static char buf[16];

		snprintf(buf, sizeof buf, "%g", c * 100);
		R.confidence = buf;
	}
	xmlNodeSetContent(slot[0], NULL);
	xmlNodeAddContent(slot[0], BAD_CAST title);
	xmlNodeSetContent(slot[1], NULL);
	xmlNodeAddContent(slot[1], BAD_CAST title);
	data_summary(&R, slot[2], o->nnotes > 0);
	section_answer(&R, slot[2]);
	section_baseline(&R, slot[2]);
	if (o->nnotes) {
		/* what the caller says about the data (a testbed, a caveat),
		 * as text, after the answer (the summary line above it points
		 * here) */
		xmlNodePtr notes = add(slot[2], "div", NULL), h;

		cls(notes, "notes");
		xmlNewProp(notes, BAD_CAST "id", BAD_CAST "notes");
		h = add(notes, "h2", "About the data");
		(void)h;
		for (size_t i = 0; i < o->nnotes; i++)
			add(notes, "p", o->notes[i]);
	}
	section_table3(&R, slot[3]);
	section_factors(&R, slot[3]);
	section_sensitivity(&R, slot[4]);
	section_cells(&R, slot[5]);
	section_methodology(&R, slot[6]);
	section_provenance(&R, o, dir, slot[7]);
	if (chart_png_finish() != 0)
		R.chart_failed = 1;
	if (R.chart_failed)
		goto out;
	contents(&R, slot, o->nnotes > 0);
	{
		struct outfile of;
		xmlSaveCtxtPtr save;

		p = outfile_path(outdir, "report.xhtml");
		if (!p || outfile_open(&of, p) != 0)
			goto out;
		save = xmlSaveToIO(write_cb, close_cb, of.fp, "UTF-8",
				   XML_SAVE_FORMAT | XML_SAVE_XHTML);
		if (!save || xmlSaveDoc(save, doc) < 0 || xmlSaveClose(save) < 0) {
			diag_at(DIAG_ERROR, p, 0, 0, "cannot write the report");
			outfile_abort(&of);
			goto out;
		}
		if (outfile_commit(&of) != 0)
			goto out;
		free(p);
		p = NULL;
	}
	{
		/* the stylesheet beside the template goes beside the report */
		char *css = stylesheet_of(tpl), *to = outfile_path(outdir, "report.css");

		rc = css && to ? copy_file(css, to) : -1;
		free(css);
		free(to);
	}
out:
	if (chart_png_finish() != 0) /* none left, unless it failed before */
		rc = -1;
	free(p);
	if (doc)
		xmlFreeDoc(doc);
	csvtab_free(&R.summary);
	csvtab_free(&R.ranks);
	csvtab_free(&R.kendall);
	csvtab_free(&R.scores);
	csvtab_free(&R.sens);
	csvtab_free(&R.reps);
	csvtab_free(&R.hist);
	csvtab_free(&R.pairs);
	csvidx_free(&R.pairs_ix);
	csvidx_free(&R.ranks_ix);
	csvidx_free(&R.config_ix);
	csvidx_free(&R.summary_ix);
	csvidx_free(&R.summary_gix);
	csvidx_free(&R.reps_gix);
	csvidx_free(&R.hist_gix);
	csvtab_free(&R.changes);
	csvtab_free(&R.baseline);
	csvtab_free(&R.inputs);
	chart_measure_release();
	return rc;
}
