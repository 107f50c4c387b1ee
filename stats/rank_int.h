/* Private to the rank stage: the loaded repetition times. */
#ifndef VMNETRANK_RANK_INT_H
#define VMNETRANK_RANK_INT_H

#include "rank.h"
#include "weights.h"
#include "../lib/csvout.h"
#include "../lib/metric.h"

#include <stddef.h>

struct entry {
	size_t config, cell;
	/* as read from reps.csv: every metric's repetition values */
	double *v[M_COUNT];
	long *rid[M_COUNT];     /* each value's round (-1: none), from
	                           inputs.csv's meta.plan_sha256 + meta.round */
	size_t nv[M_COUNT], capv[M_COUNT];
	long n_ops, failed_ops; /* from summary.csv */
	int checked;            /* seen in summary.csv */
	/* the cell's metric on the analysis scale (times, or the
	 * reciprocals of rates: lower is better), sorted */
	double *x;
	size_t n;
	double mean, sd;
	int eligible;           /* may be named fastest */
	/* the cell's metric per round, on the analysis scale (a round's
	 * repetitions averaged), by round id; pn = 0 when some repetition
	 * has no round (no pairing) */
	long *pid;
	double *px;
	size_t pn;
};

struct cell {
	char *workload, *direction;
	int metric;             /* lib/metric.h */
	char *metric_note;      /* why this metric */
};

/* A cell's power figures (struct ranking), once computed. */
struct cellpower {
	int done;
	double cv, n_reps, detectable;
	size_t reps_needed;
};

struct data {
	char **factors; /* factor keys, in file order (sorted by ingest) */
	size_t nfactors;
	char ***config; /* config -> factor values */
	size_t nconfigs;
	struct cell *cells;
	size_t ncells;
	struct entry *e;
	size_t ne;
	struct cellpower *power; /* per cell; NULL: not cached */
};

/* DIR/reps.csv and DIR/summary.csv into D (cells' metrics not chosen
 * yet); 0, or -1 after messages (D freed). */
int rank_load(const char *dir, struct data *d);
void rank_data_free(struct data *d);

/* The ranking of a set of entries of one cell: the first ke are eligible
 * and tested among themselves; the rest (failed operations) come after. */
struct ranking {
	size_t k, ke;
	size_t *idx;            /* entry indices, in config order */
	struct rank_pair *pair; /* i < j < ke, row-major upper triangle */
	size_t *point, *lo, *hi;
	double *p1;
	/* what the cell could show (rank_power): the median CV and
	 * repetitions of the eligible, the smallest difference 1 - T_a/T_b
	 * found with 80% power, and the repetitions that would find
	 * rank_options.detect (0: none can, the margin is larger) */
	double cv, n_reps, detectable;
	size_t reps_needed;
};


/*
 * Weighted scores and their sensitivity to the internal share (score.c):
 * writes scores.csv and sensitivity.csv rows.  CONFIGS lists the
 * configurations in output order, NAMES their display names; the pairs
 * of each scope's test go to PAIRS (view "scores").
 */
int score_write(const struct data *d, const size_t *configs,
		char *const *names, const struct weights *w,
		const struct rank_options *o, struct csvout *scores,
		struct csvout *sens, struct csvout *pairs);


/* shared between the stage's files (split by concern) */
/* ---- what a cell could show ----
 *
 * The power of the beats rule for two configurations of N repetitions
 * each, normal times with a common CV, the faster 1 - D times the slower,
 * in a family of M pairs: the share of POWER_DRAWS simulated pairs of
 * (mean, variance) drawn from their exact distributions (normal, scaled
 * chi-square) in which the faster one beats the slower: Welch p < alpha/M
 * (Holm's first step, i.e. Bonferroni: conservative for all but the
 * strongest pair) and the Fieller interval below 1 - margin.  The draws
 * are the same for every D (a fixed seed per N), so the power rises with
 * D and bisection finds the D of 80% power.
 */
#define POWER_DRAWS 2000
#define POWER_GRID 64
struct power_draws {
	size_t n;
	double z[2][POWER_DRAWS], c[2][POWER_DRAWS];
	/* the t quantiles at 1 - alpha/2 and 1 - alpha/(2m) over Welch's
	 * df, which for two samples of n lies in [n - 1, 2(n - 1)]: on a
	 * grid in 1/df, interpolated (the cdf at every draw was 90% of the
	 * time) */
	double q1[POWER_GRID + 1], q2[POWER_GRID + 1];
};

struct out {
	struct csvout pairs, ranks, kendall, scores, sens;
	char **names; /* per config */
	const struct rank_options *o;
	/* each config's level number of each factor (config * nfactors +
	 * factor) and each factor's count of levels; NULL until a ranking
	 * past pairs_limit needs them */
	size_t *level, *nlevels;
	/* the cell views' pairs written to pairs.csv, of how many */
	size_t pairs_written, pairs_total;
	int failed; /* out of memory choosing the pairs */
};

double rank_entry_failed_share(const struct entry *e);
double rank_entry_shown(const struct data *d, const struct entry *e, double v);
void rank_entry_interval(const struct data *d, const struct entry *e,
			   double conf, double *lo, double *hi);
int rank_choose_metrics(struct data *d, const struct rank_options *o,
			  const struct weights *w, char **wl, size_t nwl);
int rank_analyse(struct data *d, const struct rank_options *o,
		   char *const *names);
size_t rank_pair_at(size_t k, size_t i, size_t j);
void rank_print_answer(const struct data *d, const struct ranking *R,
			 char *const *names, const struct rank_options *o);
char *rank_config_name(const struct data *d, size_t config,
			 const int *lead);
void rank_csv_num(struct csvout *w, double v);
void rank_write_ranking(const struct data *d, const struct ranking *R,
			  const char *view, int plain, struct out *w);

/* Which of the K(K-1)/2 pairs (rank_pair_at order) of a ranking of K
 * eligible configurations, POINT their point ranks 1..K, pairs.csv keeps
 * when K > LIMIT > 0: the best against every other and each neighbour
 * pair in point order (1 each).  NULL: every pair (K <= LIMIT, LIMIT 0,
 * or out of memory). */
unsigned char *rank_pairs_order_kept(size_t k, const size_t *point,
				     size_t limit);

/* the columns of pairs.csv (rank_write.c) */
extern const char *const rank_pairs_cols[];

#endif
