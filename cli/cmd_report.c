/*
 * vmnetrank report: its options, and the call to the report stage.
 */
#include "cli.h"
#include "../lib/diag.h"
#include "../lib/opts.h"
#include "../report/report.h"

#include <stdlib.h>
#include <string.h>

enum {
	P_OUTPUT, P_TEMPLATE, P_TITLE, P_NOTE, P_DUMP, P_TIMESTAMP, P_METRIC,
	P_HELP
};

const struct opt cli_report_opts[] = {
	[P_OUTPUT] = { "output", 'o', "DIR",
		       "write report.xhtml and report.css to DIR (default: "
		       "DIR)" },
	[P_TEMPLATE] = { "template", 0, "FILE",
			 "an XHTML template with the placeholder ids of "
			 "templates/report.xhtml (its report.css beside it)" },
	[P_TITLE] = { "title", 0, "TEXT", "the report's title" },
	[P_NOTE] = { "note", 0, "TEXT",
		     "a paragraph about the data, shown under \"About the data\", after the answer "
		     "(repeatable)" },
	[P_DUMP] = { "dump-layout", 0, NULL,
		     "also print each chart's layout (plot rectangle, axis "
		     "range, ticks, label boxes) as text" },
	[P_TIMESTAMP] = { "timestamp", 0, NULL,
			  "say in the report when it was written (off: the "
			  "same inputs give the same bytes)" },
	[P_METRIC] = { "metric", 0, "[WORKLOAD=]NAME",
		       "check that rank ranked by this metric (ranks.csv "
		       "says what each workload was ranked by; repeatable)" },
	[P_HELP] = { "help", 'h', NULL, "show this help" },
	{ 0 },
};

int cmd_report(int argc, char **argv)
{
	struct opts_parser p;
	struct report_options o;
	const char *arg, *outdir = NULL;
	char *cmdline = cli_command_line(argc, argv);
	const char **notes = calloc((size_t)argc + 1, sizeof *notes);
	const char **metric = calloc((size_t)argc + 1, sizeof *metric);
	int id;

	memset(&o, 0, sizeof o);
	o.command = cmdline;
	o.notes = notes;
	o.metrics = metric;
	opts_init(&p, "report", cli_report_opts, argc, argv);
	while ((id = opts_next(&p, &arg)) >= 0) {
		switch (id) {
		case P_OUTPUT:
			outdir = arg;
			break;
		case P_TEMPLATE:
			o.template_path = arg;
			break;
		case P_TITLE:
			o.title = arg;
			break;
		case P_NOTE:
			if (notes)
				notes[o.nnotes++] = arg;
			break;
		case P_DUMP:
			o.dump_layout = 1;
			break;
		case P_TIMESTAMP:
			o.timestamp = 1;
			break;
		case P_METRIC:
			if (metric)
				metric[o.nmetrics++] = arg;
			break;
		case P_HELP:
			cli_print_cmd_help(stdout, cli_find_cmd("report"));
			goto done;
		}
	}
	if (id == OPTS_ERROR)
		goto done;
	if (p.noperands != 1) {
		diag(DIAG_USAGE, "report: expected one DIR (where stats and "
				 "rank wrote their files)");
		goto done;
	}
	if (outdir && cli_output_folder(outdir) != 0)
		goto done;
	if (!cli_has_files(p.operands[0], "summary.csv", "ranks.csv"))
		report_run(p.operands[0], &o, outdir ? outdir : p.operands[0]);
	else
		cli_staged(outdir ? outdir : p.operands[0], 1, cli_report_stage,
			   &(struct stage_args){ .in = p.operands[0], .po = &o });
done:
	free(cmdline);
	free(notes);
	free(metric);
	opts_release(&p);
	return diag_exit_status();
}
