#define _POSIX_C_SOURCE 200809L
#include "outfile.h"
#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporaries to remove if a signal ends the process. */
#define MAX_PENDING 32
static char *volatile pending[MAX_PENDING];
static int handlers_installed;

static void on_signal(int sig)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void pending_add(char *path)
{
	if (!handlers_installed) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		handlers_installed = 1;
	}
	for (int i = 0; i < MAX_PENDING; i++)
		if (!pending[i]) {
			pending[i] = path;
			return;
		}
}

static void pending_remove(char *path)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i] == path)
			pending[i] = NULL;
}

/* The inputs this process has read, by device and inode, and the outputs
 * it has opened, by canonical path: no output may replace either. */
static struct {
	dev_t dev;
	ino_t ino;
} *inputs;
static size_t ninputs, capinputs;
static char **outputs;
static size_t noutputs, capoutputs;
static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;

static void note_stat(const struct stat *st)
{
	pthread_mutex_lock(&registry);
	for (size_t i = 0; i < ninputs; i++)
		if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino)
			goto done;
	if (ninputs == capinputs) {
		size_t ncap = capinputs ? capinputs * 2 : 64;
		void *n = realloc(inputs, ncap * sizeof *inputs);

		if (!n)
			goto done; /* then it is not guarded: no worse than before */
		inputs = n;
		capinputs = ncap;
	}
	inputs[ninputs].dev = st->st_dev;
	inputs[ninputs].ino = st->st_ino;
	ninputs++;
done:
	pthread_mutex_unlock(&registry);
}

void outfile_note_input(const char *path)
{
	struct stat st;

	if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		note_stat(&st);
}

void outfile_forget_input(const char *path)
{
	struct stat st;

	if (!path || stat(path, &st) != 0)
		return;
	pthread_mutex_lock(&registry);
	for (size_t i = 0; i < ninputs; i++)
		if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino) {
			inputs[i] = inputs[--ninputs];
			break;
		}
	pthread_mutex_unlock(&registry);
}

void outfile_note_input_fd(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		note_stat(&st);
}

static int is_input(const struct stat *st)
{
	int hit = 0;

	pthread_mutex_lock(&registry);
	for (size_t i = 0; i < ninputs && !hit; i++)
		hit = inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino;
	pthread_mutex_unlock(&registry);
	return hit;
}

static int refuse_input(const char *path)
{
	diag_at(DIAG_ERROR, path, 0, 0,
		"is also an input of this command (expected an output that "
		"does not replace an input: choose another name or folder)");
	return -1;
}

int outfile_check_target(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && is_input(&st))
		return refuse_input(path);
	return 0;
}

/* PATH with its folder resolved ("/abs/dir/name"), newly allocated; NULL
 * when the folder cannot be resolved. */
static char *canonical(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], *out;
	const char *base = slash ? slash + 1 : path;
	size_t dl = slash ? (size_t)(slash - path) : 0;
	char *d = malloc(dl + 2);

	if (!d)
		return NULL;
	if (slash && dl == 0)
		strcpy(d, "/");
	else if (slash)
		snprintf(d, dl + 1, "%s", path);
	else
		strcpy(d, ".");
	if (!realpath(d, dir)) {
		free(d);
		return NULL;
	}
	free(d);
	out = malloc(strlen(dir) + strlen(base) + 2);
	if (out)
		sprintf(out, "%s/%s", dir, base);
	return out;
}

/* Refuse PATH when it is an input, or an output already opened by this
 * process; else remember it.  0, or -1 with a diagnostic. */
static int guard_output(const char *path, const struct stat *st, int exists)
{
	char *c;
	int rc = 0;

	if (exists && is_input(st))
		return refuse_input(path);
	c = canonical(path);
	if (!c)
		return 0; /* the open below will say what is wrong */
	pthread_mutex_lock(&registry);
	for (size_t i = 0; i < noutputs && rc == 0; i++)
		if (strcmp(outputs[i], c) == 0)
			rc = -1;
	if (rc == 0 && noutputs == capoutputs) {
		size_t ncap = capoutputs ? capoutputs * 2 : 16;
		char **n = realloc(outputs, ncap * sizeof *outputs);

		if (n) {
			outputs = n;
			capoutputs = ncap;
		}
	}
	if (rc == 0 && noutputs < capoutputs)
		outputs[noutputs++] = c;
	else
		free(c);
	pthread_mutex_unlock(&registry);
	if (rc != 0)
		diag_at(DIAG_ERROR, path, 0, 0,
			"is already an output of this command (expected each "
			"output file once: e.g. --rejects apart from -o)");
	return rc;
}

/* An output that was not written after all may be opened again. */
static void forget_output(const char *path)
{
	char *c = path ? canonical(path) : NULL;

	if (!c)
		return;
	pthread_mutex_lock(&registry);
	for (size_t i = 0; i < noutputs; i++)
		if (strcmp(outputs[i], c) == 0) {
			free(outputs[i]);
			outputs[i] = outputs[--noutputs];
			break;
		}
	pthread_mutex_unlock(&registry);
	free(c);
}

void outfile_forget_all(void)
{
	pthread_mutex_lock(&registry);
	for (size_t i = 0; i < noutputs; i++)
		free(outputs[i]);
	noutputs = 0;
	ninputs = 0;
	pthread_mutex_unlock(&registry);
}

int outfile_open(struct outfile *of, const char *path)
{
	struct stat st;
	int exists;

	memset(of, 0, sizeof *of);
	if (!path || strcmp(path, "-") == 0) {
		of->to_stdout = 1;
		of->fp = tmpfile();
		if (!of->fp) {
			diag(DIAG_ERROR, "cannot create a temporary file: %s",
			     strerror(errno));
			return -1;
		}
		return 0;
	}
	exists = stat(path, &st) == 0;
	if (guard_output(path, &st, exists) != 0)
		return -1;
	of->path = strdup(path);
	if (!of->path)
		goto nomem;
	if (exists && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			diag_at(DIAG_ERROR, path, 0, 0,
				"is a folder (expected a file name)");
			goto fail;
		}
		of->fp = fopen(path, "w");
		if (!of->fp) {
			diag_at(DIAG_ERROR, path, 0, 0, "cannot open: %s",
				strerror(errno));
			goto fail;
		}
		return 0;
	}
	{
		const char *slash = strrchr(path, '/');
		size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
		const char *base = path + dirlen;
		size_t n = dirlen + strlen(base) + 16;
		int fd;

		of->tmppath = malloc(n);
		if (!of->tmppath)
			goto nomem;
		snprintf(of->tmppath, n, "%.*s.%s.XXXXXX", (int)dirlen, path,
			 base);
		fd = mkstemp(of->tmppath);
		if (fd < 0) {
			diag_at(DIAG_ERROR, path, 0, 0,
				"cannot create a temporary file beside it: %s",
				strerror(errno));
			goto fail;
		}
		pending_add(of->tmppath);
		/* mkstemp makes 0600; give the usual 0666 less umask. */
		mode_t um = umask(0);
		umask(um);
		fchmod(fd, 0666 & ~um);
		of->fp = fdopen(fd, "w");
		if (!of->fp) {
			close(fd);
			goto fail_unlink;
		}
	}
	return 0;
nomem:
	diag(DIAG_ERROR, "out of memory");
	goto fail;
fail_unlink:
	diag_at(DIAG_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
	unlink(of->tmppath);
	pending_remove(of->tmppath);
fail:
	forget_output(path);
	free(of->tmppath);
	free(of->path);
	memset(of, 0, sizeof *of);
	return -1;
}

static int copy_to_stdout(FILE *fp)
{
	char buf[1 << 16];
	size_t n;

	if (fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0)
		return -1;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return -1;
	return ferror(fp) ? -1 : 0;
}

/* PATH as the user knows it: without a staging folder of lib/outdir
 * ("DIR/.vmnetrank-stage.XXXXXX/NAME" is shown as "DIR/NAME"). */
static void shown_path(const char *path, char *out, size_t cap)
{
	const char *st = path ? strstr(path, "/.vmnetrank-stage.") : NULL;
	const char *rest = st ? strchr(st + 1, '/') : NULL;

	if (st && rest)
		snprintf(out, cap, "%.*s%s", (int)(st - path), path, rest);
	else
		snprintf(out, cap, "%s", path ? path : "<stdout>");
}

static void write_error(const char *path, int err)
{
	char shown[PATH_MAX + 64], folder[PATH_MAX + 64];
	const char *slash;

	shown_path(path, shown, sizeof shown);
	slash = strrchr(shown, '/');
	if (slash)
		snprintf(folder, sizeof folder, "%.*s", (int)(slash - shown), shown);
	else
		snprintf(folder, sizeof folder, ".");
	diag_at(DIAG_ERROR, shown, 0, 0, "cannot write it into the folder "
		"%s: %s", path ? folder : "(standard output)",
		err ? strerror(err) : "write error");
}

void outfile_report_error(const struct outfile *of)
{
	if (of->fp && ferror(of->fp))
		write_error(of->path, errno);
}

int outfile_commit(struct outfile *of)
{
	int rc = 0;
	const char *name = of->path ? of->path : "<stdout>";

	if (!of->fp)
		return -1;
	if (of->to_stdout) {
		if (ferror(of->fp) || copy_to_stdout(of->fp) != 0) {
			diag_at(DIAG_ERROR, name, 0, 0, "write error: %s",
				strerror(errno));
			rc = -1;
		}
		fclose(of->fp);
		of->fp = NULL;
		return rc;
	}
	if (fflush(of->fp) != 0 || ferror(of->fp)) {
		write_error(of->path, errno);
		rc = -1;
	}
	if (fclose(of->fp) != 0 && rc == 0) {
		write_error(of->path, errno);
		rc = -1;
	}
	of->fp = NULL;
	if (of->tmppath) {
		if (rc == 0 && rename(of->tmppath, of->path) != 0) {
			diag_at(DIAG_ERROR, name, 0, 0, "cannot rename %s: %s",
				of->tmppath, strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(of->tmppath);
		pending_remove(of->tmppath);
	}
	if (rc != 0)
		forget_output(of->path);
	free(of->tmppath);
	free(of->path);
	memset(of, 0, sizeof *of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	if (of->fp)
		fclose(of->fp);
	if (of->tmppath) {
		unlink(of->tmppath);
		pending_remove(of->tmppath);
	}
	forget_output(of->path);
	free(of->tmppath);
	free(of->path);
	memset(of, 0, sizeof *of);
}

int outfile_close_stdout(void)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);

	if (fclose(stdout) != 0)
		bad = 1;
	if (bad) {
		diag(DIAG_ERROR, "write error on standard output: %s",
		     strerror(errno));
		return -1;
	}
	return 0;
}

char *outfile_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}
