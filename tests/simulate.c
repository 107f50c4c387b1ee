/*
 * simulate: one dataset of repetition times for `make validate`, written
 * as a samples.csv that `vmnetrank stats` reads.  Two workloads, both
 * directions, three configurations A, B, C; one operation per repetition,
 * its duration normal (or, with --lognormal, lognormal: skewed, as real
 * times often are) with the given CV around the cell's mean.  A and C are
 * identical; B is slower by EFFECT in every cell (0: a null dataset).
 * --exact: each configuration's normal draws are standardised so that the
 * sample mean and CV are exactly the true ones (make validate reads what
 * rank calls detectable at that CV from such a dataset).
 *   simulate --seed S --reps N --effect E [--cv CV] [--lognormal] [--exact] -o FILE
 * The true means are printed on stdout, one line per cell and
 * configuration: "workload direction vm mean_us".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

/* splitmix64 */
static uint64_t next(void)
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double uniform(void)
{
	return ((double)(next() >> 11) + 0.5) / 9007199254740992.0;
}

/* Box-Muller */
static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

int main(int argc, char **argv)
{
	static const char *const wl[2] = { "w1", "w2" };
	static const char *const dir[2] = { "internal", "external" };
	static const char *const vm[3] = { "A", "B", "C" };
	/* the cells' means for A and C, us: internal and external differ */
	static const double base[2][2] = { { 1000000, 3000000 }, { 200000, 500000 } };
	long reps = 0;
	double effect = 0, cv = 0.05, sigma;
	int lognormal = 0, exact = 0;
	const char *out = NULL;
	FILE *fp;
	int64_t t = INT64_C(1196266661000000);
	long line = 1;

	state = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			state = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--effect") == 0 && i + 1 < argc)
			effect = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--cv") == 0 && i + 1 < argc)
			cv = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--lognormal") == 0)
			lognormal = 1;
		else if (strcmp(argv[i], "--exact") == 0)
			exact = 1;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr, "usage: simulate --seed S --reps N --effect E "
					"[--cv CV] [--lognormal] -o FILE\n");
			return 2;
		}
	}
	if (reps < 2 || !out || !(fp = fopen(out, "w"))) {
		fprintf(stderr, "simulate: need --reps >= 2 and a writable -o\n");
		return 2;
	}
	sigma = sqrt(log(1 + cv * cv));
	fprintf(fp, "vm,workload,direction,rep,seq,start_us,end_us,status,source\n");
	for (int w = 0; w < 2; w++)
		for (int d = 0; d < 2; d++)
			for (int c = 0; c < 3; c++) {
				double mu = base[w][d] * (c == 1 ? 1 + effect : 1);

				double z[1024], zm = 0, zs = 0;

				printf("%s %s %s %.6f\n", wl[w], dir[d], vm[c], mu);
				for (long r = 0; exact && r < reps && r < 1024; r++) {
					z[r] = normal();
					zm += z[r] / (double)reps;
				}
				for (long r = 0; exact && r < reps && r < 1024; r++)
					zs += (z[r] - zm) * (z[r] - zm) / (double)(reps - 1);
				for (long r = 1; r <= reps; r++) {
					/* mean mu either way */
					double x = exact ? mu * (1 + cv * (z[(r - 1) % 1024] - zm) / sqrt(zs))
						   : lognormal ? mu * exp(sigma * normal() - sigma * sigma / 2)
							     : mu * (1 + cv * normal());
					int64_t dur = (int64_t)llround(x > 1 ? x : 1);

					fprintf(fp, "%s,%s,%s,%ld,1,%lld,%lld,ok,sim:%ld\n",
						vm[c], wl[w], dir[d], r, (long long)t,
						(long long)(t + dur), line++);
					t += dur + 1000;
				}
			}
	return fclose(fp) == 0 ? 0 : 1;
}
