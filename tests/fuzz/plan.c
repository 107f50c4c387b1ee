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
	if (plan_read(&p, path, NULL, 0) == 0 && p.nincluded * p.rounds <= 10000) {
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
		/* again with --set: a factor narrowed to its last level, and
		 * the first [vars] variable overridden */
		if (p.nfactors && p.factor[0].nlevels) {
			char narrow[400], var[400];
			char *sets[2] = { narrow, var };
			struct plan q;

			snprintf(narrow, sizeof narrow, "%s.levels=%s", p.factor[0].name,
				 p.factor[0].levels[p.factor[0].nlevels - 1]);
			snprintf(var, sizeof var, "%s=x", p.nvars ? p.vname[0] : "rounds");
			if (plan_read(&q, path, sets, p.nvars ? 2 : 1) == 0) {
				size_t n2 = 0;

				free(plan_schedule(&q, &n2));
			}
			plan_free(&q);
		}
	}
	plan_free(&p);
	return 0;
}
