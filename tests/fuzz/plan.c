/* Fuzz target: measure's plan file (collect/plan.c through inih) and the
 * schedule and expansions made from it.  The input is the plan. */
#include "fuzz.h"
#include "../../collect/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p;
	const char *path;

	fuzz_reset();
	path = fuzz_file(0, "plan.ini", data, size);
	if (plan_read(&p, path, NULL, 0) == 0 && p.nconfigs * p.rounds <= 10000) {
		size_t n = 0;
		struct plan_trial *t = plan_schedule(&p, &n);

		for (size_t i = 0; t && i < n && i < 50; i++) {
			char *a = plan_expand(&p, &t[i], p.workload[t[i].workload].collect);

			free(a);
			for (size_t f = 0; f < p.nfactors; f++)
				if (p.factor[f].setup)
					free(plan_expand(&p, &t[i], p.factor[f].setup));
		}
		free(t);
	}
	plan_free(&p);
	return 0;
}
