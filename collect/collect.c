/*
 * vmnetrank-collect: times operations and writes a native log (format 1).
 *
 *   vmnetrank-collect MODE [OPTIONS] OPERAND
 *
 * The loop (collect_loop.c): warm-up operations (rep 0, warmup = 1), then R repetitions of
 * N operations.  Each operation is timed here, around the mode's op():
 * start_us is CLOCK_REALTIME, end_us is start_us plus the CLOCK_MONOTONIC
 * time that passed, so a clock step cannot bend a duration.  Every line
 * is written with one write(2) as soon as its operation ends, so a kill
 * loses at most the operation in flight.  SIGINT: finish that
 * operation (within --timeout), write "# interrupted after rep R op N",
 * exit 130; a second signal abandons the operation in flight.  SIGTERM
 * abandons it at once and exits 143.
 *
 * Libc only (plus lib/opts and lib/diag, which are libc only too), so it
 * builds static for a bare guest.
 */
#include "collect.h"
#include "../lib/diag.h"
#include "../lib/labels.h"
#include "../lib/opts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef VMNETRANK_VERSION
#define VMNETRANK_VERSION "0.1.0"
#endif

volatile sig_atomic_t collect_stop, collect_abort;

static const struct mode *const modes[] = {
	&mode_http, &mode_exec, &mode_files, &mode_tcp, &mode_tcp_sink, NULL,
};

/* ---- options ---- */

enum {
	O_REPS, O_OPS, O_WARMUP, O_PAUSE, O_LABEL, O_DIRECTION, O_WORKLOAD,
	O_OUTPUT, O_FORCE, O_PROGRESS, O_NO_PROGRESS, O_MAX_FAILURES,
	O_TIMEOUT, O_CONNECT_EACH, O_EXPECT, O_KEEP_OUTPUT, O_WRITE, O_READ,
	O_MAKE, O_KEEP_FILES, O_BYTES, O_MAX_BODY, O_META, O_CONCURRENCY,
	O_HELP, O_VERSION,
	NOPTS
};

static const struct opt table[] = {
	[O_REPS] = { "reps", 0, "R", "repetitions (default 1)" },
	[O_OPS] = { "ops", 0, "N",
		    "operations per repetition (default 100; files: the "
		    "batch)" },
	[O_WARMUP] = { "warmup", 0, "W",
		       "W warm-up operations first, logged as rep 0 with "
		       "warmup=1 (left out downstream by default)" },
	[O_PAUSE] = { "pause", 0, "MS",
		      "pause MS milliseconds between repetitions" },
	[O_LABEL] = { "label", 0, "K=V", "a label in the header (repeatable)" },
	[O_DIRECTION] = { "direction", 0, "D",
			  "internal or external (= --label direction=D)" },
	[O_WORKLOAD] = { "workload", 0, "W", "= --label workload=W" },
	[O_META] = { "meta", 0, "K=V",
		     "a line '# meta.K=V' in the header: facts about the run, "
		     "not labels (vmnetrank measure's round, plan hash...)" },
	[O_OUTPUT] = { "output", 'o', "FILE",
		       "write the log to FILE (default: stdout); missing "
		       "folders are made" },
	[O_FORCE] = { "force", 0, NULL, "replace FILE if it exists" },
	[O_PROGRESS] = { "progress", 0, NULL,
			 "show progress on stderr (default when stderr is a "
			 "terminal)" },
	[O_NO_PROGRESS] = { "no-progress", 0, NULL, "never show progress" },
	[O_MAX_FAILURES] = { "max-failures", 0, "N",
			     "stop after N failed operations in a row "
			     "(default 20; 0: never)" },
	[O_TIMEOUT] = { "timeout", 0, "MS",
			"give up an operation that has lasted MS milliseconds "
			"in all, logged 'timeout' (default 30000 for http and "
			"tcp, none for exec; 0: none)" },
	[O_CONNECT_EACH] = { "connect-each", 0, NULL,
			     "http: a new connection per request (default: "
			     "one keep-alive connection)" },
	[O_CONCURRENCY] = { "concurrency", 0, "N",
			    "http: keep N requests in flight (1 to 256; "
			    "default 1), N clients with a connection each on "
			    "one event loop; the log says meta.clients=N" },
	[O_EXPECT] = { "expect", 0, "TEXT",
		       "http: the body must contain TEXT" },
	[O_KEEP_OUTPUT] = { "keep-output", 0, NULL,
			    "exec: pass the command's output to stderr "
			    "(default: discarded)" },
	[O_WRITE] = { "write", 0, NULL,
		      "files: write each file, with fsync (the default)" },
	[O_READ] = { "read", 0, NULL, "files: read each file back" },
	[O_MAKE] = { "make", 0, "NxSIZE",
		     "files: N files of SIZE bytes (K, M, G: powers of 1024), "
		     "e.g. 1000x1K or 2x100M" },
	[O_KEEP_FILES] = { "keep-files", 0, NULL,
			   "files: leave the files in DIR (default: removed "
			   "after each repetition / at the end)" },
	[O_BYTES] = { "bytes", 0, "N",
		      "tcp: bytes to stream per operation (K, M, G allowed)" },
	[O_MAX_BODY] = { "max-body", 0, "N",
			 "http: a response body over N bytes fails, logged "
			 "'too-large' (K, M, G allowed; default 1G; 0: no "
			 "limit)" },
	[O_HELP] = { "help", 'h', NULL, "show this help" },
	[O_VERSION] = { "version", 0, NULL, "show the version" },
	{ 0 },
};

/* Which modes take each option (NULL: all). */
static const char *const owner[NOPTS] = {
	[O_CONNECT_EACH] = "http",   [O_EXPECT] = "http",
	[O_KEEP_OUTPUT] = "exec",    [O_WRITE] = "files",
	[O_READ] = "files",          [O_MAKE] = "files",
	[O_KEEP_FILES] = "files",    [O_BYTES] = "tcp",
	[O_MAX_BODY] = "http",       [O_CONCURRENCY] = "http",
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: vmnetrank-collect MODE [OPTIONS] OPERAND\n"
		"       vmnetrank-collect --help | --version | MODE --help\n\n"
		"Times operations and writes a vmnetrank native log "
		"(format 1).\n\nModes:\n");
	for (size_t i = 0; modes[i]; i++)
		fprintf(fp, "  %-9s %s\n", modes[i]->name, modes[i]->summary);
	fprintf(fp, "\nOptions:\n");
	opts_print(fp, table);
	fprintf(fp,
		"\nExit status: 0 every operation succeeded; 1 some failed "
		"(they are in the log) or the\nrun could not start; 2 bad "
		"usage; 130/143 stopped by SIGINT/SIGTERM (the log ends\n"
		"with '# interrupted after rep R op N').\n");
}

static int parse_long(const char *opt, const char *arg, long min, long max,
		      long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		diag(DIAG_USAGE, "%s '%s': expected an integer from %ld to %ld",
		     opt, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int collect_parse_size(const char *s, int64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return -1;
		}
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
		if (*end)
			return -1;
	}
	if (v > ((unsigned long long)INT64_MAX >> shift))
		return -1;
	*out = (int64_t)(v << shift);
	return 0;
}

/* Check "K=V" with ingest's own rules (lib/labels); 0 or -1 after a
 * message. */
static int check_label(const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t n = eq ? (size_t)(eq - kv) : 0;
	const char *why;
	char key[80];

	if (!eq) {
		diag(DIAG_USAGE, "--label '%s': expected KEY=VALUE", kv);
		return -1;
	}
	if (label_key_ok(kv, n, &why) != 0) {
		diag(DIAG_USAGE, "--label '%s': %s", kv, why);
		return -1;
	}
	snprintf(key, sizeof key, "%.*s", (int)n, kv);
	if (is_meta_key(key)) {
		diag(DIAG_USAGE,
		     "--label '%s': '%s' is run metadata, written by the "
		     "collector itself; choose another name",
		     kv, key);
		return -1;
	}
	if (!eq[1]) {
		diag(DIAG_USAGE, "--label '%s': expected a value after '='", kv);
		return -1;
	}
	for (const char *p = eq + 1; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			diag(DIAG_USAGE,
			     "--label '%.*s=...': the value holds a control "
			     "character",
			     (int)n, kv);
			return -1;
		}
	return 0;
}

/* ---- main ---- */

static const struct mode *find_mode(const char *name)
{
	for (size_t i = 0; modes[i]; i++)
		if (strcmp(modes[i]->name, name) == 0)
			return modes[i];
	return NULL;
}

static void unknown_mode(const char *name)
{
	const char *names[8];
	size_t n = 0;
	const char *best;

	for (; modes[n]; n++)
		names[n] = modes[n]->name;
	names[n] = NULL;
	best = opts_closest(name, names);
	if (best)
		diag(DIAG_USAGE, "unknown mode '%s'; did you mean '%s'?", name,
		     best);
	else
		diag(DIAG_USAGE,
		     "unknown mode '%s' (expected http, exec, files, tcp or "
		     "tcp-sink; see vmnetrank-collect --help)",
		     name);
}

int main(int argc, char **argv)
{
	struct collector c;
	struct opts_parser p;
	struct logw w;
	const char *arg, *output = NULL;
	const char **labels;
	char **owned = NULL; /* the --meta strings, freed at the end */
	size_t nlabels = 0, nowned = 0;
	int id, force = 0, progress = -1, rc = 2, have_rw = 0;
	struct timespec started;
	int given[NOPTS] = { 0 };

	diag_set_program("vmnetrank-collect");
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vmnetrank-collect %s\n", VMNETRANK_VERSION);
		return 0;
	}
	memset(&c, 0, sizeof c);
	c.mode = find_mode(argv[1]);
	if (!c.mode) {
		unknown_mode(argv[1]);
		return 2;
	}
	c.reps = 1;
	c.ops = 100;
	c.max_failures = 20;
	c.concurrency = 1;
	c.timeout_ms = -1;
	c.max_body = (int64_t)1 << 30;
	labels = calloc((size_t)argc + 1, sizeof *labels);
	owned = calloc((size_t)argc + 1, sizeof *owned);
	if (!labels || !owned) {
		free(labels);
		free(owned);
		return 1;
	}
	opts_init(&p, c.mode->name, table, argc - 1, argv + 1);
	if (strcmp(c.mode->name, "exec") == 0)
		p.stop_at_operand = 1;
	while ((id = opts_next(&p, &arg)) >= 0) {
		given[id] = 1;
		if (owner[id] && strcmp(owner[id], c.mode->name) != 0) {
			diag(DIAG_USAGE, "%s: --%s is an option of the %s mode",
			     c.mode->name, table[id].name, owner[id]);
			goto out;
		}
		switch (id) {
		case O_REPS:
			if (parse_long("--reps", arg, 1, 100000000, &c.reps))
				goto out;
			break;
		case O_OPS:
			if (parse_long("--ops", arg, 1, 1000000000, &c.ops))
				goto out;
			c.ops_given = 1;
			break;
		case O_WARMUP:
			if (parse_long("--warmup", arg, 0, 1000000000, &c.warmup))
				goto out;
			break;
		case O_PAUSE:
			if (parse_long("--pause", arg, 0, 86400000, &c.pause_ms))
				goto out;
			break;
		case O_MAX_FAILURES:
			if (parse_long("--max-failures", arg, 0, LONG_MAX,
				       &c.max_failures))
				goto out;
			break;
		case O_CONCURRENCY:
			if (parse_long("--concurrency", arg, 1, 256,
				       &c.concurrency))
				goto out;
			break;
		case O_TIMEOUT:
			if (parse_long("--timeout", arg, 0, 86400000, &c.timeout_ms))
				goto out;
			break;
		case O_LABEL:
			if (check_label(arg) != 0)
				goto out;
			labels[nlabels++] = arg;
			break;
		case O_META: {
			/* checked as a label, then named meta.K */
			char *buf = malloc(strlen(arg) + 6);

			if (!buf || (sprintf(buf, "meta.%s", arg), 0) ||
			    check_label(arg) != 0) {
				free(buf);
				goto out;
			}
			owned[nowned++] = buf;
			labels[nlabels++] = buf;
			break;
		}
		case O_DIRECTION: {
			static char buf[32];

			if (strcasecmp(arg, "internal") != 0 &&
			    strcasecmp(arg, "external") != 0) {
				diag(DIAG_USAGE,
				     "--direction '%s': expected internal or "
				     "external",
				     arg);
				goto out;
			}
			snprintf(buf, sizeof buf, "direction=%s",
				 strcasecmp(arg, "internal") == 0 ? "internal"
								  : "external");
			labels[nlabels++] = buf;
			break;
		}
		case O_WORKLOAD: {
			static char buf[256];

			snprintf(buf, sizeof buf, "workload=%s", arg);
			if (check_label(buf) != 0)
				goto out;
			labels[nlabels++] = buf;
			break;
		}
		case O_OUTPUT: output = arg; break;
		case O_FORCE: force = 1; break;
		case O_PROGRESS: progress = 1; break;
		case O_NO_PROGRESS: progress = 0; break;
		case O_CONNECT_EACH: c.connect_each = 1; break;
		case O_EXPECT:
			if (!*arg) {
				diag(DIAG_USAGE, "--expect: expected some text");
				goto out;
			}
			c.expect = arg;
			break;
		case O_KEEP_OUTPUT: c.keep_output = 1; break;
		case O_WRITE: c.files_read = 0; have_rw |= 1; break;
		case O_READ: c.files_read = 1; have_rw |= 2; break;
		case O_KEEP_FILES: c.keep_files = 1; break;
		case O_MAKE: {
			char *x = strchr(arg, 'x');

			if (!x || x == arg) {
				diag(DIAG_USAGE,
				     "--make '%s': expected NxSIZE, e.g. 1000x1K "
				     "or 2x100M",
				     arg);
				goto out;
			}
			*x = '\0';
			if (parse_long("--make (count)", arg, 1, 100000000,
				       &c.make_n) != 0) {
				*x = 'x';
				goto out;
			}
			*x = 'x';
			if (collect_parse_size(x + 1, &c.make_size) != 0) {
				diag(DIAG_USAGE,
				     "--make '%s': expected a size after 'x' "
				     "(bytes, or with K, M or G)",
				     arg);
				goto out;
			}
			break;
		}
		case O_MAX_BODY:
			if (collect_parse_size(arg, &c.max_body) != 0) {
				diag(DIAG_USAGE,
				     "--max-body '%s': expected a byte count (K, "
				     "M or G allowed; 0: no limit)",
				     arg);
				goto out;
			}
			break;
		case O_BYTES:
			if (collect_parse_size(arg, &c.tcp_bytes) != 0) {
				diag(DIAG_USAGE,
				     "--bytes '%s': expected a byte count (K, "
				     "M or G allowed)",
				     arg);
				goto out;
			}
			break;
		case O_HELP:
			printf("usage: vmnetrank-collect %s [OPTIONS] %s\n\n%s\n\n",
			       c.mode->name,
			       c.mode->operand ? c.mode->operand : "",
			       c.mode->summary);
			opts_print(stdout, table);
			rc = 0;
			goto out;
		case O_VERSION:
			printf("vmnetrank-collect %s\n", VMNETRANK_VERSION);
			rc = 0;
			goto out;
		}
	}
	if (id == OPTS_ERROR)
		goto out;
	if (have_rw == 3) {
		diag(DIAG_USAGE, "files: --write or --read, not both");
		goto out;
	}
	for (size_t i = 0; i < nlabels; i++)
		for (size_t j = 0; j < i; j++) {
			size_t ki = strcspn(labels[i], "=");

			if (ki == strcspn(labels[j], "=") &&
			    strncmp(labels[i], labels[j], ki) == 0) {
				diag(DIAG_USAGE, "label '%.*s' given twice",
				     (int)ki, labels[i]);
				goto out;
			}
		}
	{
		/* how many clients: whether operations may overlap, in the
		 * header (a --meta clients=K given for an exec'd tool is
		 * kept, unless --concurrency says otherwise) */
		const char *given = NULL;

		for (size_t i = 0; i < nlabels; i++)
			if (strncmp(labels[i], "meta.clients=", 13) == 0)
				given = labels[i] + 13;
		if (given && c.concurrency > 1 &&
		    strtol(given, NULL, 10) != c.concurrency) {
			diag(DIAG_USAGE,
			     "--meta clients=%s contradicts --concurrency %ld",
			     given, c.concurrency);
			goto out;
		}
		if (!given) {
			char *buf = malloc(40);

			if (!buf)
				goto out;
			snprintf(buf, 40, "meta.clients=%ld", c.concurrency);
			owned[nowned++] = buf;
			labels[nlabels++] = buf;
		}
	}
	if (strcmp(c.mode->name, "exec") == 0) {
		if (p.noperands == 0) {
			diag(DIAG_USAGE,
			     "exec: expected a command: vmnetrank-collect "
			     "exec [OPTIONS] -- COMMAND [ARGS...]");
			goto out;
		}
		c.cmd = p.operands;
	} else if (c.mode->operand) {
		if (p.noperands != 1) {
			diag(DIAG_USAGE, "%s: expected one %s, got %d operands",
			     c.mode->name, c.mode->operand, p.noperands);
			goto out;
		}
		c.target = p.operands[0];
	}
	if (c.timeout_ms < 0)
		c.timeout_ms = (c.mode == &mode_http || c.mode == &mode_tcp)
				       ? 30000
				       : 0;
	(void)given;
	collect_install_signals();
	if (c.mode->run) {
		rc = c.mode->run(&c);
		goto out;
	}
	rc = c.mode->setup(&c);
	if (rc != 0) {
		if (c.mode->teardown)
			c.mode->teardown(&c);
		goto out;
	}
	if (collect_log_open(&w, output, force) != 0) {
		rc = diag_exit_status();
		if (c.mode->teardown)
			c.mode->teardown(&c);
		goto out;
	}
	clock_gettime(CLOCK_REALTIME, &started);
	collect_write_header(&w, &c, labels, nlabels, argc, argv, &started);
	if (progress < 0)
		progress = isatty(2);
	rc = w.failed ? 1 : collect_run_loop(&c, &w, progress);
	if (c.mode->teardown)
		c.mode->teardown(&c);
	if (output && close(w.fd) != 0 && rc == 0) {
		diag(DIAG_ERROR, "cannot write the log %s: %s", output,
		     strerror(errno));
		rc = 1;
	}
out:
	opts_release(&p);
	free(labels);
	for (size_t i = 0; owned && i < nowned; i++)
		free(owned[i]);
	free(owned);
	return rc;
}
