/*
 * Local modes of vmnetrank-collect: exec (a command per operation) and
 * files (each file of a batch written or read back in a folder, usually a
 * mounted share).
 */
#include "collect.h"
#include "../lib/diag.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- exec ---- */

struct exec {
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t chld;
	int ready; /* fa and attr initialised */
};

/* Is NAME runnable: a path with '/', or found in $PATH? */
static int findable(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? path : ".",
			 name);
		if (access(buf, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

static int exec_setup(struct collector *c)
{
	struct exec *e = calloc(1, sizeof *e);
	sigset_t none, deflt;
	int out = c->keep_output ? 2 : -1;

	if (!e)
		return 1;
	c->state = e;
	if (!findable(c->cmd[0])) {
		diag(DIAG_USAGE, "exec: '%s' is not an executable file or a "
				 "command in PATH",
		     c->cmd[0]);
		return 2;
	}
	posix_spawn_file_actions_init(&e->fa);
	posix_spawn_file_actions_addopen(&e->fa, 0, "/dev/null", O_RDONLY, 0);
	if (out < 0) {
		posix_spawn_file_actions_addopen(&e->fa, 1, "/dev/null",
						 O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&e->fa, 1, 2);
	} else {
		posix_spawn_file_actions_adddup2(&e->fa, 2, 1);
	}
	/* its own process group: a Ctrl-C at the terminal reaches only the
	 * collector, which lets the command finish (see collect.c) */
	posix_spawnattr_init(&e->attr);
	sigemptyset(&none);
	sigemptyset(&deflt);
	sigaddset(&deflt, SIGINT);
	sigaddset(&deflt, SIGTERM);
	sigaddset(&deflt, SIGPIPE);
	posix_spawnattr_setsigmask(&e->attr, &none);
	posix_spawnattr_setsigdefault(&e->attr, &deflt);
	posix_spawnattr_setpgroup(&e->attr, 0);
	posix_spawnattr_setflags(&e->attr, POSIX_SPAWN_SETPGROUP |
						   POSIX_SPAWN_SETSIGMASK |
						   POSIX_SPAWN_SETSIGDEF);
	/* SIGCHLD stays pending while blocked: the wait below cannot miss
	 * it, and a timeout needs no polling */
	sigemptyset(&e->chld);
	sigaddset(&e->chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &e->chld, NULL);
	e->ready = 1;
	return 0;
}

static void exec_op(struct collector *c, long rep, long seq, int warmup,
		    struct op_result *r)
{
	struct exec *e = c->state;
	pid_t pid, w;
	int st = 0, err, killed = 0;
	int64_t deadline = c->timeout_ms ? collect_mono_ns() + c->timeout_ms * 1000000LL
					 : 0;

	(void)rep;
	(void)seq;
	(void)warmup;
	err = posix_spawnp(&pid, c->cmd[0], &e->fa, &e->attr, c->cmd, environ);
	if (err) {
		result_errno(r, "spawn", err);
		return;
	}
	for (;;) {
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			result_errno(r, "wait", errno);
			return;
		}
		if (collect_abort || (deadline && collect_mono_ns() >= deadline)) {
			if (!killed)
				kill(-pid, SIGKILL);
			killed = collect_abort ? 2 : 1;
			waitpid(pid, &st, 0);
			break;
		}
		if (deadline) {
			int64_t left = deadline - collect_mono_ns();
			struct timespec ts = { 0, 0 };

			if (left > 0) {
				ts.tv_sec = left / 1000000000;
				ts.tv_nsec = left % 1000000000;
			}
			sigtimedwait(&e->chld, NULL, &ts);
		} else {
			sigwaitinfo(&e->chld, NULL);
		}
	}
	if (killed == 1)
		result_status(r, "timeout");
	else if (WIFEXITED(st))
		result_status(r, WEXITSTATUS(st) ? "exit-%d" : "ok",
			      WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		result_status(r, "signal-%d", WTERMSIG(st));
	else
		result_status(r, "wait-status-%d", st);
}

static void exec_teardown(struct collector *c)
{
	struct exec *e = c->state;

	if (!e)
		return;
	if (e->ready) {
		posix_spawn_file_actions_destroy(&e->fa);
		posix_spawnattr_destroy(&e->attr);
	}
	free(e);
	c->state = NULL;
}

const struct mode mode_exec = {
	"exec", "-- COMMAND [ARGS...]",
	"runs COMMAND per operation (an smbclient batch, scp, rsync...); "
	"a non-zero exit is a failure",
	exec_setup, exec_op, NULL, exec_teardown, NULL, NULL,
};

/* ---- files ---- */

#define CHUNK (1024 * 1024)

struct files {
	char *buf;          /* CHUNK bytes of payload */
	char **names;       /* read without --make: the folder's files */
	size_t nnames;
	int made;           /* read with --make: we made the files */
	char path[4096];
};

static void file_name(const struct collector *c, struct files *f, long i,
		      int warmup)
{
	snprintf(f->path, sizeof f->path, "%s/vmnr-%s%06ld.dat", c->target,
		 warmup ? "warmup-" : "", i);
}

/* Write SIZE bytes to f->path with fsync; 0, or -1 with R filled. */
static int write_file(struct files *f, int64_t size, struct op_result *r)
{
	int fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int64_t left = size;

	r->bytes = 0;
	if (fd < 0) {
		result_errno(r, "open", errno);
		return -1;
	}
	while (left > 0) {
		size_t n = left > CHUNK ? CHUNK : (size_t)left;
		ssize_t k = write(fd, f->buf, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			result_errno(r, "write", k < 0 ? errno : ENOSPC);
			close(fd);
			return -1;
		}
		left -= k;
		r->bytes += k;
	}
	if (fsync(fd) != 0) {
		result_errno(r, "fsync", errno);
		close(fd);
		return -1;
	}
	if (close(fd) != 0) {
		result_errno(r, "close", errno);
		return -1;
	}
	result_status(r, "ok");
	return 0;
}

static int read_file(struct files *f, struct op_result *r)
{
	int fd = open(f->path, O_RDONLY | O_CLOEXEC);

	r->bytes = 0;
	if (fd < 0) {
		result_errno(r, "open", errno);
		return -1;
	}
	/* drop the client's cached copy, so the bytes cross the share */
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	for (;;) {
		ssize_t k = read(fd, f->buf, CHUNK);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			result_errno(r, "read", errno);
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		r->bytes += k;
	}
	close(fd);
	result_status(r, "ok");
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of DIR, sorted, without dot files. */
static int list_folder(struct collector *c, struct files *f)
{
	DIR *d = opendir(c->target);
	struct dirent *de;
	size_t cap = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char p[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", c->target, de->d_name);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (f->nnames == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			nn = realloc(f->names, cap * sizeof *nn);
			if (!nn)
				break;
			f->names = nn;
		}
		f->names[f->nnames] = strdup(de->d_name);
		if (f->names[f->nnames])
			f->nnames++;
	}
	closedir(d);
	if (f->nnames)
		qsort(f->names, f->nnames, sizeof *f->names, by_name);
	return 0;
}

static void remove_batch(struct collector *c, struct files *f, long n,
			 int warmup)
{
	for (long i = 1; i <= n; i++) {
		file_name(c, f, i, warmup);
		unlink(f->path);
	}
}

static int files_setup(struct collector *c)
{
	struct files *f = calloc(1, sizeof *f);
	struct stat st;
	uint64_t x = 0x9E3779B97F4A7C15ull;

	if (!f)
		return 1;
	c->state = f;
	if (c->ops_given) {
		diag(DIAG_USAGE, "files: the batch is one repetition; its size "
				 "comes from --make NxSIZE (or the folder's "
				 "files with --read), not --ops");
		return 2;
	}
	if (stat(c->target, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag(DIAG_USAGE, "files: '%s' is not a folder", c->target);
		return 2;
	}
	if (!c->files_read && !c->make_n) {
		diag(DIAG_USAGE, "files --write: expected --make NxSIZE (what "
				 "to write, e.g. 1000x1K)");
		return 2;
	}
	f->buf = malloc(CHUNK);
	if (!f->buf)
		return 1;
	/* payload that no layer can compress away */
	for (size_t i = 0; i < CHUNK; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(f->buf + i, &x, 8);
	}
	if (c->files_read && !c->make_n) {
		if (list_folder(c, f) != 0 || f->nnames == 0) {
			diag(DIAG_USAGE, "files --read: no files in '%s' (make "
					 "them with --make NxSIZE)",
			     c->target);
			return 2;
		}
		c->ops = (long)f->nnames;
		return 0;
	}
	c->ops = c->make_n;
	if (c->files_read) {
		/* the payload to read back, made before timing starts */
		struct op_result r;

		for (long i = 1; i <= c->make_n; i++) {
			file_name(c, f, i, 0);
			if (write_file(f, c->make_size, &r) != 0) {
				diag(DIAG_ERROR, "files: cannot make %s: %s",
				     f->path, r.status);
				remove_batch(c, f, i, 0);
				return 1;
			}
		}
		f->made = 1;
	}
	return 0;
}

static void files_op(struct collector *c, long rep, long seq, int warmup,
		     struct op_result *r)
{
	struct files *f = c->state;
	long i = warmup ? (seq - 1) % c->ops + 1 : seq;

	(void)rep;
	if (f->names)
		snprintf(f->path, sizeof f->path, "%s/%s", c->target,
			 f->names[i - 1]);
	else
		file_name(c, f, i, warmup && !c->files_read);
	if (c->files_read)
		read_file(f, r);
	else
		write_file(f, c->make_size, r);
}

static void files_after_rep(struct collector *c, long rep)
{
	struct files *f = c->state;

	if (c->files_read)
		return;
	if (rep == 0)
		remove_batch(c, f, c->warmup < c->ops ? c->warmup : c->ops, 1);
	else if (!c->keep_files || rep < c->reps)
		remove_batch(c, f, c->ops, 0);
}

static void files_teardown(struct collector *c)
{
	struct files *f = c->state;

	if (!f)
		return;
	if (f->made && !c->keep_files)
		remove_batch(c, f, c->make_n, 0);
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f->buf);
	free(f);
	c->state = NULL;
}

const struct mode mode_files = {
	"files", "DIR",
	"writes (--write, with fsync) or reads (--read) each file of a batch "
	"in DIR, a mounted share; one batch = one repetition",
	files_setup, files_op, files_after_rep, files_teardown, NULL, NULL,
};
