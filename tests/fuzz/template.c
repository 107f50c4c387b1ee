/* Fuzz target: the template loader of report (libxml2 with NONET, the
 * placeholders), with a stylesheet beside it. */
#include "fuzz.h"
#include "../../report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_options o;

	fuzz_reset();
	memset(&o, 0, sizeof o);
	fuzz_file(1, "report.css", (const uint8_t *)"body{}\n", 7);
	o.template_path = fuzz_file(0, "report.xhtml", data, size);
	report_check(&o);
	return 0;
}
