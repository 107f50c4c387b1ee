/* vmnetrank measure: run a plan's schedule (measure.h, plan.h). */
#include "measure.h"
#include "plan.h"
#include "../lib/diag.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_asked;

static void on_sigint(int sig)
{
	(void)sig;
	stop_asked = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 'S' with every ' as '\'' */
static void shq(char *out, size_t cap, const char *s)
{
	size_t k = 0;

	if (cap < 3) {
		out[0] = '\0';
		return;
	}
	out[k++] = '\'';
	for (; *s && k + 6 < cap; s++) {
		if (*s == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else {
			out[k++] = *s;
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
}

static char *path_join(const char *a, const char *b)
{
	char *s;

	if (b[0] == '/')
		return strdup(b);
	s = malloc(strlen(a) + strlen(b) + 2);
	if (s)
		sprintf(s, "%s/%s", a, b);
	return s;
}

/* OUT/f1=v1/.../direction=D/workload=W/round-R.log */
static char *trial_path(const struct plan *p, const char *out,
			const struct plan_trial *t)
{
	size_t cap = strlen(out) + 64;
	char *s;

	for (size_t f = 0; f < p->nfactors; f++)
		cap += strlen(p->factor[f].name) + strlen(plan_level(p, t->config, f)) + 2;
	cap += strlen(p->direction[t->direction].name) +
	       strlen(p->workload[t->workload].name) + 32;
	s = malloc(cap);
	if (!s)
		return NULL;
	strcpy(s, out);
	for (size_t f = 0; f < p->nfactors; f++)
		sprintf(s + strlen(s), "/%s=%s", p->factor[f].name,
			plan_level(p, t->config, f));
	sprintf(s + strlen(s), "/direction=%s/workload=%s/round-%lu.log",
		p->direction[t->direction].name, p->workload[t->workload].name,
		t->round);
	return s;
}

static int mkdirs_for(const char *file)
{
	char *p = strdup(file);

	if (!p)
		return -1;
	for (char *q = p + 1; *q; q++)
		if (*q == '/') {
			*q = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				free(p);
				return -1;
			}
			*q = '/';
		}
	free(p);
	return 0;
}

static void config_name(const struct plan *p, size_t c, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t f = 0; f < p->nfactors && len + 2 < cap; f++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s=%s",
					f ? " " : "", p->factor[f].name,
					plan_level(p, c, f));
	if (!p->nfactors)
		snprintf(buf, cap, "(one configuration)");
}

/* sh -c CMD; its exit status (128 + N for a signal), -1 when it did not
 * run */
static int sh(const char *cmd)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run the setups (or teardowns) of configuration T->config, factor by
 * factor (teardowns in reverse); 0, or the failing command's status. */
static int around(const struct plan *p, const struct plan_trial *t, int up)
{
	for (size_t k = 0; k < p->nfactors; k++) {
		size_t f = up ? k : p->nfactors - 1 - k;
		const struct plan_factor *x = &p->factor[f];
		size_t l = 0;
		const char *cmd;
		char *e;
		int st;

		while (l < x->nlevels && strcmp(x->levels[l], plan_level(p, t->config, f)))
			l++;
		cmd = up ? (x->lsetup[l] ? x->lsetup[l] : x->setup)
			 : (x->lteardown[l] ? x->lteardown[l] : x->teardown);
		if (!cmd || !*cmd)
			continue;
		e = plan_expand(p, t, cmd);
		if (!e)
			return -1;
		st = sh(e);
		if (st != 0) {
			diag(DIAG_WARNING, "measure: %s of %s=%s failed (exit %d): %s",
			     up ? "setup" : "teardown", x->name,
			     plan_level(p, t->config, f), st, e);
			free(e);
			return st ? st : -1;
		}
		free(e);
	}
	return 0;
}

static void first_line(const char *path, const char *key, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "r");
	char line[512];

	buf[0] = '\0';
	if (!fp)
		return;
	while (fgets(line, sizeof line, fp))
		if (!key || strncmp(line, key, strlen(key)) == 0) {
			char *v = key ? strchr(line, ':') : line;

			v = v ? v + (key ? 1 : 0) : line;
			while (*v == ' ' || *v == '\t')
				v++;
			v[strcspn(v, "\n")] = '\0';
			snprintf(buf, cap, "%.*s", (int)(cap - 1), v);
			break;
		}
	fclose(fp);
}

/* A trial whose setup failed: a log of one failed operation, never a
 * time, so that the configuration is shown failed, not missing. */
static int write_failed(const struct plan *p, const struct plan_trial *t,
			size_t position, const char *path, int status)
{
	char tmp[4200];
	FILE *fp;
	struct timespec ts;
	long long us;

	clock_gettime(CLOCK_REALTIME, &ts);
	us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (!fp)
		return -1;
	fprintf(fp, "# vmnetrank-log 1\n# tool=vmnetrank measure\n");
	fprintf(fp, "# note=the configuration's setup failed (exit %d): no "
		    "operation ran\n", status);
	for (size_t f = 0; f < p->nfactors; f++)
		fprintf(fp, "# %s=%s\n", p->factor[f].name, plan_level(p, t->config, f));
	fprintf(fp, "# direction=%s\n# workload=%s\n# meta.round=%lu\n"
		    "# meta.plan_sha256=%s\n# meta.position=%zu\n"
		    "# meta.order=%s\n# meta.plan_seed=%lu\n",
		p->direction[t->direction].name, p->workload[t->workload].name,
		t->round, p->sha256, position,
		p->order == ORDER_RMIT ? "rmit"
		: p->order == ORDER_BLOCKED ? "blocked" : "random",
		p->seed);
	fprintf(fp, "rep,seq,start_us,end_us,status\n1,1,%lld,%lld,setup-failed\n",
		us, us);
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* A trial's log, read once: 0 none, 1 done, 2 written by measure for a
 * failed setup (nothing was measured: a later run tries the trial
 * again).  *OTHER is set when its meta.plan_sha256 is not SHA
 * (another plan's, or another --set's) and *SECS is the seconds it took,
 * from its header's started= to its last write (NAN when it does not
 * say, as a setup-failed log does not). */
static int trial_read(const char *path, const char *sha, int *other, double *secs)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL; /* whole lines: a header's command= runs long */
	size_t lcap = 0;
	int state = 1;
	struct stat st;

	*secs = NAN;
	if (!fp)
		return 0;
	while (getline(&line, &lcap, fp) > 0 && line[0] == '#') {
		struct tm tm;
		unsigned long frac = 0;
		int n = 0;

		if (strcmp(line, "# tool=vmnetrank measure\n") == 0)
			state = 2;
		if (strncmp(line, "# meta.plan_sha256=", 19) == 0 &&
		    strncmp(line + 19, sha, 64) != 0)
			*other = 1;
		memset(&tm, 0, sizeof tm);
		if (sscanf(line, "# started=%4d-%2d-%2dT%2d:%2d:%2d.%lu%n",
			   &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			   &tm.tm_min, &tm.tm_sec, &frac, &n) >= 6 &&
		    fstat(fileno(fp), &st) == 0) {
			double r;

			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			r = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9 -
			    (double)timegm(&tm);
			*secs = r >= 0 && r <= 1e7 ? r : NAN;
		}
	}
	free(line);
	fclose(fp);
	return state;
}

/* The seconds each trial of the schedule is expected to take: the mean
 * of its workload x direction's done trials, else of all done trials,
 * else the plan's estimate (NAN when it has none); 0 for a trial done
 * already.  STATE[i]: trial i's log (trial_read).  *NDONE: how many done
 * trials said their duration; *NOTHER: logs of another plan. */
static double *trial_estimates(const struct plan *p, const char *out,
			       const struct plan_trial *t, size_t n, int *state,
			       size_t *ndone, size_t *nother)
{
	size_t cells = p->nworkloads * p->ndirections;
	double *e = calloc(n + 1, sizeof *e), *sum = calloc(cells + 1, sizeof *sum);
	size_t *cnt = calloc(cells + 1, sizeof *cnt), all = 0;
	double tot = 0;

	*ndone = 0;
	*nother = 0;
	if (!e || !sum || !cnt) {
		free(e);
		e = NULL;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *lp = trial_path(p, out, &t[i]);
		int other = 0;
		double s = NAN;
		size_t c = t[i].workload * p->ndirections + t[i].direction;

		state[i] = lp ? trial_read(lp, p->sha256, &other, &s) : 0;
		*nother += other;
		e[i] = state[i] == 1 ? 0 : 1; /* 0: done */
		free(lp);
		if (!isnan(s)) {
			sum[c] += s;
			cnt[c]++;
			tot += s;
			all++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		size_t c = t[i].workload * p->ndirections + t[i].direction;

		if (e[i] != 0)
			e[i] = cnt[c] ? sum[c] / (double)cnt[c]
			       : all ? tot / (double)all : p->estimate;
	}
	*ndone = all;
out:
	free(sum);
	free(cnt);
	return e;
}

static void remove_logs(const char *dir)
{
	char cmd[4400], q[4200];

	shq(q, sizeof q, dir);
	snprintf(cmd, sizeof cmd, "rm -rf %s", q);
	sh(cmd);
}

int measure_run(const char *plan_path, const struct measure_options *o)
{
	struct plan p;
	struct plan_trial *t = NULL;
	size_t n = 0, done = 0, ran = 0, failed = 0, retried = 0;
	char *out = NULL, cpu[256], load[64];
	int rc = -1, setup_state = 0; /* 0 not run, 1 ran, -1 failed */
	int setup_status = 0;
	double t0 = now_s(), spent = 0, spent_est = 0, *est = NULL;
	int *state = NULL; /* each trial's log when the run began */
	size_t nmeasured = 0, nother = 0;
	struct sigaction sa, old;
	int tty = isatty(2) && !o->quiet;

	if (plan_read(&p, plan_path, o->sets, o->nsets) != 0) {
		plan_free(&p);
		return -1;
	}
	t = plan_schedule(&p, &n);
	out = path_join(p.dir, p.output);
	if (!t || !out) {
		diag(DIAG_ERROR, "out of memory");
		goto done;
	}
	if (o->fresh && !o->dry_run)
		remove_logs(out);
	state = calloc(n + 1, sizeof *state);
	est = state ? trial_estimates(&p, out, t, n, state, &nmeasured, &nother) : NULL;
	if (!est) {
		diag(DIAG_ERROR, "out of memory");
		goto done;
	}
	if (nother) {
		/* resuming would mix two plans' trials in one folder */
		diag_at(DIAG_ERROR, out, 0, 0, "%zu of the logs there are another "
			"plan's (their meta.plan_sha256 is not %.12s..., this plan "
			"with its --set): give --fresh to start over, or another "
			"output", nother, p.sha256);
		goto done;
	}
	if (o->dry_run) {
		static const char *const orders[] = { "rmit", "blocked", "random" };
		size_t pending = 0;
		double left = 0;

		size_t full = p.nincluded * p.nworkloads * p.ndirections * p.rounds;

		printf("plan %s: %zu configurations x %zu workloads x %zu "
		       "directions x %lu rounds = %zu trials%s, order %s, seed %lu, "
		       "logs in %s\n",
		       p.path, p.nincluded, p.nworkloads, p.ndirections, p.rounds,
		       n, n < full ? " (some workloads run in fewer rounds)" : "",
		       orders[p.order], p.seed, out);
		for (size_t w = 0; w < p.nworkloads; w++)
			for (size_t d = 0; d < p.ndirections; d++)
				if (plan_workload_rounds(&p, w, d) < p.rounds)
					printf("rounds: %s %s in rounds 1-%lu\n",
					       p.workload[w].name, p.direction[d].name,
					       plan_workload_rounds(&p, w, d));
		if (p.nvars) {
			printf("vars:");
			for (size_t v = 0; v < p.nvars; v++)
				printf(" %s=%s", p.vname[v], p.vvalue[v]);
			printf("\n");
		}
		for (size_t i = 0; i < n; i++) {
			char cn[512], *lp = trial_path(&p, out, &t[i]);
			int have = state[i] == 1;

			config_name(&p, t[i].config, cn, sizeof cn);
			pending += !have;
			if (!have)
				left += est[i];
			printf("%5zu  round %-3lu %s%s  %s %s%s%s\n", i + 1, t[i].round,
			       t[i].setup ? "[setup] " : "", cn,
			       p.workload[t[i].workload].name,
			       p.direction[t[i].direction].name,
			       t[i].teardown ? " [teardown]" : "",
			       have ? "  (done)"
			       : state[i] == 2 ? "  (its setup failed: runs again)" : "");
			free(lp);
		}
		if (pending == 0)
			printf("estimate: nothing to run: every trial is done\n");
		else if (isnan(left))
			printf("estimate: %zu trials to run; give [plan] estimate = "
			       "SECONDS for a duration\n", pending);
		else if (nmeasured)
			printf("estimate: %zu trials to run, about %.0f s from the "
			       "%zu trials done (each workload x direction's mean; "
			       "setups not counted)\n", pending, left, nmeasured);
		else
			printf("estimate: %zu trials to run, about %.0f s at %g s a "
			       "trial (setups not counted)\n",
			       pending, left, p.estimate);
		rc = 0;
		goto done;
	}
	first_line("/proc/cpuinfo", "model name", cpu, sizeof cpu);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, &old);
	for (size_t i = 0; i < n && !stop_asked; i++) {
		char *lp = trial_path(&p, out, &t[i]), tmp[4200], cn[512];
		char *args = NULL, *cmd = NULL, *prefix = NULL;
		int stt;

		if (t[i].setup)
			setup_state = 0;
		if (!lp) {
			diag(DIAG_ERROR, "out of memory");
			goto done;
		}
		config_name(&p, t[i].config, cn, sizeof cn);
		switch (state[i]) { /* as read at the start: this run is the
				     * only writer of its output folder */
		case 1: /* done before: resumed */
			done++;
			free(lp);
			goto after;
		case 2: /* its setup failed before: tried again */
			unlink(lp);
			retried++;
			break;
		default:
			break;
		}
		if (mkdirs_for(lp) != 0) {
			diag_at(DIAG_ERROR, lp, 0, 0, "cannot make its folder: %s",
				strerror(errno));
			free(lp);
			goto done;
		}
		if (setup_state == 0) {
			setup_status = around(&p, &t[i], 1);
			setup_state = setup_status == 0 ? 1 : -1;
		}
		if (setup_state < 0) {
			if (write_failed(&p, &t[i], i + 1, lp, setup_status) != 0)
				diag_at(DIAG_ERROR, lp, 0, 0, "cannot write it");
			failed++;
			ran++;
			free(lp);
			goto after;
		}
		if (tty) {
			double left = 0;

			/* the estimates of the trials not yet run, this
			 * one included, scaled by how this run has gone */
			for (size_t k = i; k < n; k++)
				left += est[k];
			if (ran && spent_est > 0)
				left *= spent / spent_est;
			else if (ran)
				left = spent / (double)ran * (double)(n - i);
			fprintf(stderr, "\r\033[Kmeasure: trial %zu/%zu, round %lu, %s, "
				"%s %s", i + 1, n, t[i].round, cn,
				p.workload[t[i].workload].name,
				p.direction[t[i].direction].name);
			if (!isnan(left))
				fprintf(stderr, ", about %.0f s left", left);
		}
		/* the load as this trial starts, after its setup (read once
		 * for the whole run before, every log said the first trial's;
		 * VMNETRANK_LOADAVG_FILE: a test's stand-in for /proc/loadavg) */
		{
			const char *lf = getenv("VMNETRANK_LOADAVG_FILE");
			char ld[64];

			first_line(lf && *lf ? lf : "/proc/loadavg", NULL, ld,
				   sizeof ld);
			snprintf(load, sizeof load, "%.*s",
				 (int)strcspn(ld, " \t"), ld);
			/* a number, or nothing: it goes into a shell command */
			if (load[strspn(load, "0123456789.")] != '\0')
				load[0] = '\0';
		}
		snprintf(tmp, sizeof tmp, "%s.tmp", lp);
		args = plan_expand(&p, &t[i], p.workload[t[i].workload].collect);
		prefix = plan_expand(&p, &t[i], p.direction[t[i].direction].prefix
							? p.direction[t[i].direction].prefix
							: "");
		if (!args || !prefix) {
			free(args);
			free(prefix);
			free(lp);
			goto done;
		}
		{
			size_t cap = strlen(args) + strlen(prefix) + strlen(p.collector) +
				     8192;
			char q[1024], lab[1200];

			cmd = malloc(cap);
			if (!cmd) {
				free(args);
				free(prefix);
				free(lp);
				goto done;
			}
			/* the collector, its mode, then our options, then the
			 * workload's own (an exec command after its --) */
			size_t ml = strcspn(args, " \t");
			const char *rest = args + ml;

			snprintf(cmd, cap, "%s%s%s %.*s --no-progress --force", prefix,
				 *prefix ? " " : "", p.collector, (int)ml, args);
			for (size_t f = 0; f < p.nfactors; f++) {
				snprintf(lab, sizeof lab, "%s=%s", p.factor[f].name,
					 plan_level(&p, t[i].config, f));
				shq(q, sizeof q, lab);
				snprintf(cmd + strlen(cmd), cap - strlen(cmd),
					 " --label %s", q);
			}
			snprintf(cmd + strlen(cmd), cap - strlen(cmd),
				 " --direction %s --workload %s"
				 " --meta plan_sha256=%s --meta round=%lu"
				 " --meta position=%zu --meta order=%s"
				 " --meta plan_seed=%lu --meta loadavg=%s",
				 p.direction[t[i].direction].name,
				 p.workload[t[i].workload].name, p.sha256, t[i].round,
				 i + 1,
				 p.order == ORDER_RMIT ? "rmit"
				 : p.order == ORDER_BLOCKED ? "blocked" : "random",
				 p.seed, *load ? load : "unknown");
			/* the plan's warm-up, unless the workload gives its own
			 * (before an exec command's --) */
			if (p.warmup >= 0) {
				const char *dd = strstr(rest, " -- ");
				const char *w = strstr(rest, "--warmup");

				if (!w || (dd && w > dd))
					snprintf(cmd + strlen(cmd), cap - strlen(cmd),
						 " --warmup %ld", p.warmup);
			}
			snprintf(lab, sizeof lab, "cpu=%s", *cpu ? cpu : "unknown");
			shq(q, sizeof q, lab);
			snprintf(cmd + strlen(cmd), cap - strlen(cmd), " --meta %s", q);
			shq(q, sizeof q, tmp);
			snprintf(cmd + strlen(cmd), cap - strlen(cmd), " -o %s%s", q,
				 rest);
		}
		{
			double s0 = now_s();

			stt = sh(cmd);
			spent += now_s() - s0;
			if (!isnan(est[i]))
				spent_est += est[i];
		}
		free(args);
		free(prefix);
		free(cmd);
		if (stop_asked || stt == 130 || stt == 143 || stt == 128 + SIGINT) {
			unlink(tmp); /* abandoned: it runs again on resume */
			free(lp);
			stop_asked = 1;
			break;
		}
		if (stt == 0 || stt == 1) {
			if (rename(tmp, lp) != 0) {
				diag_at(DIAG_ERROR, lp, 0, 0, "cannot write it: %s",
					strerror(errno));
				free(lp);
				goto done;
			}
			ran++;
			failed += stt == 1;
		} else {
			unlink(tmp);
			diag(DIAG_ERROR, "measure: trial %zu (%s, %s %s, round %lu): "
					 "the collector exited %d (bad usage? see above)",
			     i + 1, cn, p.workload[t[i].workload].name,
			     p.direction[t[i].direction].name, t[i].round, stt);
			free(lp);
			goto done;
		}
		free(lp);
	after:
		if (t[i].teardown && setup_state == 1)
			around(&p, &t[i], 0);
	}
	sigaction(SIGINT, &old, NULL);
	if (tty)
		fprintf(stderr, "\r\033[K");
	if (stop_asked) {
		fprintf(stderr, "measure: interrupted: %zu of %zu trials done "
				"(%zu now, %zu before); the trial in flight was "
				"abandoned. Run the same command again to "
				"resume.\n",
			ran + done, n, ran, done);
		rc = 130;
		goto done;
	}
	if (!o->quiet)
		printf("measure: %zu trials run (%zu of them again, after a failed "
		       "setup), %zu done before, %zu with failures (failed "
		       "operations, or a failed setup), in %.0f s; logs in %s\n",
		       ran, retried, done, failed, now_s() - t0, out);
	rc = failed ? 1 : 0;
	if (o->report) {
		char self[4096], q1[4200], q2[4200], cmd[12600], *rep;
		ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);

		rep = path_join(p.dir, "report");
		if (k > 0 && rep) {
			self[k] = '\0';
			shq(q1, sizeof q1, rep);
			shq(q2, sizeof q2, out);
			snprintf(cmd, sizeof cmd, "'%s' run -o %s %s", self, q1, q2);
			if (sh(cmd) != 0)
				rc = rc ? rc : 1;
		}
		free(rep);
	}
done:
	free(state);
	free(est);
	free(t);
	free(out);
	plan_free(&p);
	return rc;
}
