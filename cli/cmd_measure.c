/*
 * vmnetrank measure: its options, and the call to collect/measure.
 */
#include "cli.h"
#include "../collect/measure.h"
#include "../lib/diag.h"
#include "../lib/opts.h"

#include <stdlib.h>
#include <string.h>

enum { M_DRY_RUN, M_FRESH, M_RUN, M_SET, M_QUIET, M_HELP };

const struct opt cli_measure_opts[] = {
	[M_DRY_RUN] = { "dry-run", 'n', NULL,
			"print the schedule and its estimate; run nothing" },
	[M_FRESH] = { "fresh", 0, NULL,
		      "remove the plan's logs and start over (default: "
		      "skip the trials done, resume)" },
	[M_RUN] = { "run", 0, NULL,
		    "when every trial is done, vmnetrank run on the logs "
		    "(into report/ beside the plan)" },
	[M_SET] = { "set", 0, "NAME=VALUE",
		    "override the plan's [vars] NAME, rounds or seed, or "
		    "narrow a factor (FACTOR.levels=A,B); folded into the "
		    "plan's SHA-256; repeatable" },
	[M_QUIET] = { "quiet", 'q', NULL, "no progress, no summary" },
	[M_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

int cmd_measure(int argc, char **argv)
{
	struct opts_parser p;
	struct measure_options o;
	const char *arg;
	int id, rc = 2;

	memset(&o, 0, sizeof o);
	o.sets = calloc((size_t)argc + 1, sizeof *o.sets);
	opts_init(&p, "measure", cli_measure_opts, argc, argv);
	if (!o.sets)
		goto done;
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case M_SET: o.sets[o.nsets++] = (char *)arg; break;
		case M_DRY_RUN: o.dry_run = 1; break;
		case M_FRESH: o.fresh = 1; break;
		case M_RUN: o.report = 1; break;
		case M_QUIET: o.quiet = 1; break;
		case M_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("measure"));
			rc = 0;
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands != 1) {
		diag(DIAG_USAGE, "measure: expected one PLAN file");
		goto done;
	}
	rc = measure_run(p.operands[0], &o);
	rc = rc < 0 ? (diag_exit_status() == 2 ? 2 : 1) : rc;
done:
	free(o.sets);
	opts_release(&p);
	return rc == 0 && diag_exit_status() ? diag_exit_status() : rc;
}
