/*
 * plan: an experiment matrix to measure (README, "vmnetrank measure"),
 * read from an INI file by inih (Debian's libinih):
 *
 *   [plan]
 *   rounds = 5            ; repetitions of every trial
 *   order = rmit          ; rmit (default), blocked or random
 *   seed = 1              ; the schedule's seed (recorded in every log)
 *   output = logs         ; the logs' folder, relative to the plan file
 *   collector = vmnetrank-collect   ; the collector to run
 *   estimate = 10         ; seconds a trial takes, for --dry-run
 *   warmup = 1            ; each trial's warm-up operations (--warmup)
 *   exclude = vm=netns mem_mb=256,512   ; configurations left out (one
 *                         ; line each: every FACTOR=LEVEL[,LEVEL] matches)
 *
 *   [factor netmode]      ; one section per factor, in order
 *   levels = NAT TAP
 *   setup = ./boot.sh ${netmode}      ; before a configuration's trials
 *   teardown = ./stop.sh ${netmode}   ; after them
 *   setup.TAP = ...       ; a level's own commands win
 *   url = http://10.90.0.1:8080/   ; any other key: a variable ${url}
 *   url.TAP = http://10.90.0.10/   ; ... with a level's own value
 *
 *   [vars]                ; the plan's own variables, ${web_ops}
 *   web_ops = 100         ; measure --set web_ops=10 overrides one
 *
 *   [direction internal]  ; one section per direction
 *   prefix =              ; the command prefix that runs the client there
 *   address = 127.0.0.1   ; ${address} in the workloads
 *
 *   [workload web]        ; one section per workload
 *   collect = http --ops 100 http://${address}:8080/page.php
 *   rounds = 4            ; only in rounds 1..4 (rounds.external = 3: a
 *                         ; direction's own), as the cell needs
 *
 * A configuration is one level of every factor; a trial is a
 * configuration x workload x direction in one round.  ${NAME} is a
 * factor's level, a factor's variable, a [vars] variable, ${address},
 * ${direction}, ${workload} or ${round}; every template is checked when
 * the plan is read, so a misspelt name stops the plan before it runs.
 */
#ifndef VMNETRANK_PLAN_H
#define VMNETRANK_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PLAN_MAX 64

enum plan_order { ORDER_RMIT, ORDER_BLOCKED, ORDER_RANDOM };

/* A factor's variable: its value for every level, or a level's own. */
struct plan_var {
	char *name, *value;
	char *lvalue[PLAN_MAX];
	long line;                /* where it was first given */
};

struct plan_factor {
	char *name;
	struct plan_var *var;     /* nvars of them (malloc'd: a plan stays
	                             small enough for the stack) */
	size_t nvars;
	char *levels[PLAN_MAX];
	size_t nlevels;
	char *setup, *teardown;              /* for every level */
	char *lsetup[PLAN_MAX], *lteardown[PLAN_MAX]; /* a level's own */
};

struct plan_direction {
	char *name, *prefix, *address;
};

struct plan_workload {
	char *name, *collect;
	/* rounds = N: this workload's trials run in rounds 1..N only (0:
	 * every round); rounds.internal / rounds.external: a direction's own */
	unsigned long rounds, rounds_dir[2];
};

struct plan {
	char *path, *dir;         /* the file, and its folder */
	char sha256[65];
	unsigned long rounds, seed;
	enum plan_order order;
	char *output, *collector;
	double estimate;          /* seconds a trial */
	long warmup;              /* --warmup of every trial; -1: unset */
	struct plan_factor factor[PLAN_MAX];
	size_t nfactors;
	struct plan_direction direction[PLAN_MAX];
	size_t ndirections;
	struct plan_workload workload[PLAN_MAX];
	size_t nworkloads;
	size_t nconfigs;          /* the product of the levels */
	char *exclude[PLAN_MAX];  /* [plan] exclude lines, as given */
	long exclude_line[PLAN_MAX];
	size_t nexclude;
	size_t *included;         /* the configurations measured (mixed-radix
	                             indices, ascending), nincluded of them */
	size_t nincluded;
	char *vname[PLAN_MAX], *vvalue[PLAN_MAX]; /* [vars] */
	long vline[PLAN_MAX];
	size_t nvars;
};

/* One trial of the schedule. */
struct plan_trial {
	size_t config;            /* 0 .. nconfigs-1, one of included[] */
	size_t workload, direction;
	unsigned long round;      /* from 1 */
	int setup, teardown;      /* run the configuration's setup before,
	                             its teardown after */
};

/* 0, or -1 after FILE:LINE messages.  SETS are NSETS NAME=VALUE
 * overrides of [vars] (or of rounds and seed), folded into the plan's
 * SHA-256 as lines "#set NAME=VALUE" after the file's bytes. */
int plan_read(struct plan *p, const char *path, char *const *sets,
	      size_t nsets);
void plan_free(struct plan *p);

/* The level of factor F in configuration C. */
const char *plan_level(const struct plan *p, size_t c, size_t f);

/* The rounds workload W runs in, in direction D (its own, never more
 * than the plan's). */
unsigned long plan_workload_rounds(const struct plan *p, size_t w, size_t d);

/* The schedule in P's order and seed: *N trials (malloc'd), or NULL. */
struct plan_trial *plan_schedule(const struct plan *p, size_t *n);

/* TEMPLATE with ${...} replaced for trial T (malloc'd), or NULL after a
 * message naming the unknown name. */
char *plan_expand(const struct plan *p, const struct plan_trial *t,
		  const char *tpl);

#endif
