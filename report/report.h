/*
 * report: the stage outputs of DIR as an XHTML 1.0 Strict document.
 *
 *   report_run(dir, &opts, outdir)
 *     reads summary.csv, ranks.csv, pairs.csv, kendall.csv, scores.csv and
 *     sensitivity.csv from DIR, loads the template (libxml2, no network),
 *     fills its placeholder elements by id, and writes OUTDIR/report.xhtml
 *     and OUTDIR/report.css, each whole or not at all.
 *
 * Every string from the data goes into the tree as text
 * (xmlNewTextChild / xmlNewProp), so labels are escaped, never markup.
 */
#ifndef VMNETRANK_REPORT_H
#define VMNETRANK_REPORT_H

#include <stddef.h>

struct report_options {
	const char *template_path; /* NULL: the default template */
	const char *title;         /* NULL: "vmnetrank report" */
	const char *command;       /* the command line, for provenance */
	int dump_layout;           /* print every chart's layout to stdout */
	int timestamp;             /* say when it was written (not by default:
				      the same inputs give the same bytes) */
	const char *const *notes;  /* paragraphs about the data, shown first */
	size_t nnotes;
	/* --metric as given to rank: checked against ranks.csv, which says
	 * what each workload was ranked by */
	const char *const *metrics;
	size_t nmetrics;
};

int report_run(const char *dir, const struct report_options *o,
	       const char *outdir);

/* The template of O (and the stylesheet beside it) can be read and has
 * every placeholder: 0, or -1 with diagnostics.  run checks it before
 * its first stage. */
int report_check(const struct report_options *o);

/* The default template and stylesheet: templates/ under the current
 * folder when it has one, else the installed copy. */
const char *report_default_template(void);

#endif
