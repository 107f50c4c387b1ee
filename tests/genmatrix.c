/*
 * genmatrix: write the paper's experiment matrix as native vmnetrank logs,
 * from a seed.  The data are SYNTHETIC (every file header says so): each
 * group gets a plausible mean and spread chosen so that the orderings of
 * Table 3 in mission.md come out (see `cells` below).
 *
 *   genmatrix [--seed S] [--web-reps N] [--file-reps N] [--web-ops N] -o DIR
 *
 * Layout: DIR/vm=V/netmode=N/mem_mb=M/DIRECTION-WORKLOAD.log, with the
 * direction and workload in the log header, so both label sources are used.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const vms[] = { "VirtualBox", "QEMU", "coLinux" };
static const char *const netmodes[] = { "NAT", "TAP" };
static const int mems[] = { 256, 512 };
static const char *const directions[] = { "internal", "external" };

enum kind { SAMBA, WEB };

struct workload {
	const char *name;
	enum kind kind;
	int64_t bytes;      /* per operation */
	double op_us[2];    /* best per-operation mean: internal, external */
	double op_sd;       /* log-normal sigma of one operation */
	int ops;            /* per repetition (web: --web-ops) */
	int warm;           /* operations slowed by warm-up */
	double gap_us;      /* idle time between operations */
};

static struct workload workloads[] = {
	{ "file-1k", SAMBA, 1024, { 6000, 7500 }, 0.25, 1000, 10, 40 },
	{ "file-100m", SAMBA, 104857600, { 16.0e6, 9.5e6 }, 0.04, 2, 0, 500 },
	{ "web", WEB, 230, { 1450, 1200 }, 0.30, 10000, 30, 80 },
};

/*
 * Table 3: per kind and direction, each VM's best (netmode, memory) and how
 * much slower its best is than the cell's winner.  Every other
 * configuration of that VM is slower still (penalties below), so the best
 * configuration per VM and the order of the VMs are those of the paper.
 */
struct best {
	int netmode; /* index into netmodes */
	int mem;     /* index into mems */
	double rel;
};

static const struct best cells[2][2][3] = {
	/* SAMBA */
	{ /* internal: VirtualBox (NAT,512) < QEMU (NAT,512) < coLinux (TAP,512) */
	  { { 0, 1, 1.00 }, { 0, 1, 1.20 }, { 1, 1, 1.45 } },
	  /* external: VirtualBox (NAT,512) < coLinux (TAP,512) < QEMU (TAP,512) */
	  { { 0, 1, 1.00 }, { 1, 1, 1.40 }, { 1, 1, 1.18 } } },
	/* WEB */
	{ /* internal: coLinux (NAT,256) < VirtualBox (NAT,256) < QEMU (TAP,256) */
	  { { 0, 0, 1.15 }, { 1, 0, 1.35 }, { 0, 0, 1.00 } },
	  /* external: VirtualBox (NAT,256) < coLinux (NAT,256) < QEMU (TAP,256) */
	  { { 0, 0, 1.00 }, { 1, 0, 1.38 }, { 0, 0, 1.17 } } },
};

/* The other network mode and memory size cost this much more.  coLinux's
 * NAT is far slower for bulk transfer, as in the paper (172 s vs 39.8 s). */
static double penalty(int vm, const struct workload *w, int nm_off, int mem_off)
{
	double p = 1.0;

	if (nm_off)
		p *= (vm == 2 && w->kind == SAMBA)
			     ? (w->bytes > 1000000 ? 4.3 : 1.6)
			     : 1.35;
	if (mem_off)
		p *= 1.20;
	return p;
}

/* xoshiro256** seeded by splitmix64 */
static uint64_t st[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(void)
{
	uint64_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 17;

	st[2] ^= st[0];
	st[3] ^= st[1];
	st[1] ^= st[2];
	st[0] ^= st[3];
	st[2] ^= t;
	st[3] = rotl(st[3], 45);
	return r;
}

static void seed_rng(uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		st[i] = splitmix(&seed);
}

static double uniform(void)
{
	return ((next() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double normal(void)
{
	return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static uint64_t hash(const char *s, uint64_t h)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001B3ull;
	return h;
}

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static char *fmt_i64(char *p, int64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

int main(int argc, char **argv)
{
	uint64_t seed = 2007;
	const char *out = NULL;
	int web_reps = 10, file_reps = 30, web_ops = 10000;
	int64_t clock_us = INT64_C(1196208000) * 1000000; /* 2007-11-28 */

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--web-reps") == 0 && i + 1 < argc)
			web_reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--file-reps") == 0 && i + 1 < argc)
			file_reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--web-ops") == 0 && i + 1 < argc)
			web_ops = atoi(argv[++i]);
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else {
			fprintf(stderr,
				"usage: genmatrix [--seed S] [--web-reps N] "
				"[--file-reps N] [--web-ops N] -o DIR\n");
			return 2;
		}
	}
	if (!out || web_reps < 1 || file_reps < 1 || web_ops < 1) {
		fprintf(stderr, "genmatrix: -o DIR is required; counts >= 1\n");
		return 2;
	}
	workloads[2].ops = web_ops;
	for (int v = 0; v < 3; v++)
		for (int nm = 0; nm < 2; nm++)
			for (int m = 0; m < 2; m++)
				for (int d = 0; d < 2; d++)
					for (int wi = 0; wi < 3; wi++) {
		const struct workload *w = &workloads[wi];
		const struct best *b = &cells[w->kind][d][v];
		double mean_op = w->op_us[d] * b->rel *
				 penalty(v, w, nm != b->netmode, m != b->mem);
		int reps = w->kind == WEB ? web_reps : file_reps;
		char path[4096], *buf;
		FILE *fp;
		uint64_t gs = hash(w->name, hash(directions[d],
				   seed * 1000003u + (uint64_t)(v * 4 + nm * 2 + m)));

		snprintf(path, sizeof path, "%s/vm=%s/netmode=%s/mem_mb=%d", out,
			 vms[v], netmodes[nm], mems[m]);
		if (mkdirs(path) != 0) {
			perror(path);
			return 1;
		}
		snprintf(path + strlen(path), sizeof path - strlen(path),
			 "/%s-%s.log", directions[d], w->name);
		fp = fopen(path, "w");
		if (!fp) {
			perror(path);
			return 1;
		}
		buf = malloc(1 << 20);
		setvbuf(fp, buf, _IOFBF, 1 << 20);
		seed_rng(gs);
		fprintf(fp,
			"# vmnetrank-log 1\n"
			"# synthetic=yes: SYNTHETIC DATA made by tests/genmatrix, "
			"not measured; shaped after mission.md Table 3\n"
			"# generator=genmatrix seed %llu\n"
			"# direction=%s\n"
			"# workload=%s\n"
			"rep,seq,start_us,end_us,bytes,status\n",
			(unsigned long long)seed, directions[d], w->name);
		for (int r = 1; r <= reps; r++) {
			/* between-repetition variation, and a rare slow one */
			double repf = exp(0.025 * normal());

			if (uniform() < 0.02)
				repf *= 1.3;
			for (int s = 1; s <= w->ops; s++) {
				double dur = mean_op * repf *
					     exp(w->op_sd * normal() -
						 0.5 * w->op_sd * w->op_sd);
				char line[128], *p = line;
				int64_t us;

				if (s <= w->warm)
					dur *= 1.0 + 2.0 * exp(-(s - 1) / (w->warm / 4.0));
				/* a rare stall of a short operation (a
				 * retransmission, a cache miss) */
				if (w->ops >= 100 && uniform() < 0.002)
					dur *= 5.0 + 15.0 * uniform();
				us = (int64_t)llround(dur);
				if (us < 1)
					us = 1;
				p = fmt_i64(p, r);
				*p++ = ',';
				p = fmt_i64(p, s);
				*p++ = ',';
				p = fmt_i64(p, clock_us);
				*p++ = ',';
				p = fmt_i64(p, clock_us + us);
				*p++ = ',';
				p = fmt_i64(p, w->bytes);
				if (w->kind == WEB && uniform() < 2e-5)
					p += sprintf(p, ",http-500\n");
				else
					p += sprintf(p, ",ok\n");
				fwrite(line, 1, (size_t)(p - line), fp);
				clock_us += us + (int64_t)(w->gap_us * (0.5 + uniform()));
			}
			clock_us += 2000000; /* pause between repetitions */
		}
		if (fclose(fp) != 0) {
			perror(path);
			return 1;
		}
		free(buf);
	}
	return 0;
}
