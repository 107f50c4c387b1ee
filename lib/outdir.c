#define _POSIX_C_SOURCE 200809L
#include "outdir.h"
#include "diag.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_NAME ".vmnetrank.lock"
#define STAGE_PREFIX ".vmnetrank-stage."
#define PREV_PREFIX ".vmnetrank-prev."
#define MANIFEST ".commit"

/* The files a vmnetrank command writes into a folder. */
static const char *const our_files[] = {
	"inputs.csv", "samples.csv", "rejects.csv", "reps.csv",
	"summary.csv", "hist.csv", "pairs.csv", "ranks.csv", "kendall.csv",
	"scores.csv", "sensitivity.csv", "report.xhtml", "report.css", NULL
};

/* A chart of ours: NN-kind.png or NN-kind.svg (digits, a dash,
 * lower-case letters). */
static int is_chart_name(const char *s)
{
	const char *dash = strchr(s, '-');
	size_t len = strlen(s), k = 0;

	if (!dash || dash == s || len < 5 ||
	    (strcmp(s + len - 4, ".png") != 0 && strcmp(s + len - 4, ".svg") != 0))
		return 0;
	for (const char *c = s; c < dash; c++)
		if (*c < '0' || *c > '9')
			return 0;
	for (const char *c = dash + 1; c < s + len - 4; c++, k++)
		if (*c < 'a' || *c > 'z')
			return 0;
	return k > 0;
}

static int is_our_file(const char *s)
{
	for (int i = 0; our_files[i]; i++)
		if (strcmp(s, our_files[i]) == 0)
			return 1;
	return 0;
}

/* ".NAME.XXXXXX": outfile's temporary for NAME (lib/outfile.c). */
static int is_our_temporary(const char *s, int in_charts)
{
	size_t len = strlen(s);
	char name[256];

	if (s[0] != '.' || len < 9 || len - 8 >= sizeof name || s[len - 7] != '.')
		return 0;
	memcpy(name, s + 1, len - 8);
	name[len - 8] = '\0';
	return in_charts ? is_chart_name(name) : is_our_file(name);
}

static char *join(const char *a, const char *b)
{
	char *p = outfile_path(a, b);

	if (!p)
		diag(DIAG_ERROR, "out of memory");
	return p;
}

/* Unlink every entry of DIR (never a folder) that PICK(NAME, CTX)
 * chooses. */
static void unlink_picked(const char *dir,
			  int (*pick)(const char *name, const void *ctx),
			  const void *ctx)
{
	DIR *h = dir ? opendir(dir) : NULL;
	struct dirent *e;

	while (h && (e = readdir(h)) != NULL) {
		char *p;
		struct stat st;

		if (!pick(e->d_name, ctx))
			continue;
		p = outfile_path(dir, e->d_name);
		if (p && lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			unlink(p);
		free(p);
	}
	if (h)
		closedir(h);
}

static int pick_any(const char *name, const void *ctx)
{
	(void)name;
	(void)ctx;
	return 1;
}

static int pick_chart_temporary(const char *name, const void *ctx)
{
	(void)ctx;
	return is_our_temporary(name, 1);
}

/* Remove the files of FOLDER, its charts/ files, and the folders: a
 * stage.  Anything else in it is left (and so is the folder). */
static void remove_stage(const char *stage)
{
	char *cd = join(stage, "charts");

	unlink_picked(cd, pick_any, NULL);
	if (cd)
		rmdir(cd);
	free(cd);
	unlink_picked(stage, pick_any, NULL);
	rmdir(stage);
}

/* The staged names (manifest lines): "NAME" or "charts/NAME"; a line
 * "#charts" says stale charts go. */
struct manifest {
	char **names;
	size_t n;
	int owns_charts;
};

static void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->names[i]);
	free(m->names);
	memset(m, 0, sizeof *m);
}

static int manifest_add(struct manifest *m, const char *name)
{
	char **n = realloc(m->names, (m->n + 1) * sizeof *n);

	if (!n)
		return -1;
	m->names = n;
	if (!(m->names[m->n] = strdup(name)))
		return -1;
	m->n++;
	return 0;
}

static int manifest_has(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->names[i], name) == 0)
			return 1;
	return 0;
}

static int manifest_read(struct manifest *m, const char *stage)
{
	char *p = join(stage, MANIFEST), line[512];
	FILE *f = p ? fopen(p, "r") : NULL;
	int rc = 0, end = 0;

	memset(m, 0, sizeof *m);
	free(p);
	if (!f)
		return -1;
	while (rc == 0 && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(line, "#charts") == 0)
			m->owns_charts = 1;
		else if (strcmp(line, "#end") == 0)
			end = 1;
		else if (line[0])
			rc = manifest_add(m, line);
	}
	fclose(f);
	if (rc != 0 || !end) {
		manifest_free(m);
		return -1;
	}
	return 0;
}

/* A chart of ours that the manifest CTX does not hold: an earlier
 * command's, to go. */
static int pick_stale_chart(const char *name, const void *ctx)
{
	char rel[300];

	if (!is_chart_name(name))
		return 0;
	snprintf(rel, sizeof rel, "charts/%s", name);
	return !manifest_has(ctx, rel);
}

/* Test hook (tests/robust.sh): VMNETRANK_FAULT_AFTER_MOVES=N kills the
 * process after N moves, as a kill -9 inside the commit would. */
static long fault_after(void)
{
	const char *s = getenv("VMNETRANK_FAULT_AFTER_MOVES");

	return s && *s ? strtol(s, NULL, 10) : -1;
}

/* Move the manifest's files from STAGE into DIR and remove stale charts:
 * the same steps whether the commit is first made or finished by a later
 * command (a file already moved is not in the stage any more). */
static int apply(const char *dir, const char *stage, const struct manifest *m)
{
	long fault = fault_after(), moves = 0;
	int rc = 0;

	if (m->owns_charts) {
		char *cd = join(dir, "charts");

		if (!cd)
			return -1;
		if (mkdir(cd, 0777) != 0 && errno != EEXIST) {
			diag_at(DIAG_ERROR, cd, 0, 0, "cannot make the folder: %s",
				strerror(errno));
			free(cd);
			return -1;
		}
		unlink_picked(cd, pick_stale_chart, m);
		free(cd);
	}
	for (size_t i = 0; i < m->n && rc == 0; i++) {
		char *from = join(stage, m->names[i]), *to = join(dir, m->names[i]);
		struct stat st;

		if (!from || !to)
			rc = -1;
		else if (lstat(from, &st) != 0)
			; /* moved before */
		else if (rename(from, to) != 0) {
			diag_at(DIAG_ERROR, to, 0, 0, "cannot move %s here: %s",
				from, strerror(errno));
			rc = -1;
		} else if (++moves == fault)
			raise(SIGKILL);
		free(from);
		free(to);
	}
	if (rc == 0) {
		char *p = join(stage, MANIFEST);

		if (p)
			unlink(p);
		free(p);
		remove_stage(stage);
	}
	return rc;
}

/* What a killed command left in DIR: a committed stage is finished, any
 * other stage and our hidden temporaries are removed.  Only under the
 * lock: nobody else is writing them. */
static int recover(const char *dir)
{
	DIR *h = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!h) {
		diag_at(DIAG_ERROR, dir, 0, 0, "cannot read the folder: %s",
			strerror(errno));
		return -1;
	}
	while ((e = readdir(h)) != NULL) {
		char *p;
		int stage = strncmp(e->d_name, STAGE_PREFIX,
				    strlen(STAGE_PREFIX)) == 0;
		int prev = strncmp(e->d_name, PREV_PREFIX,
				   strlen(PREV_PREFIX)) == 0;

		if (!stage && !prev && !is_our_temporary(e->d_name, 0))
			continue;
		p = join(dir, e->d_name);
		if (!p) {
			rc = -1;
			break;
		}
		if (prev) {
			/* a copy of earlier outputs a stopped run was making */
			remove_stage(p);
		} else if (stage) {
			struct manifest m;

			if (manifest_read(&m, p) == 0) {
				diag_at(DIAG_NOTE, dir, 0, 0,
					"finishing the outputs of a command "
					"that was stopped while it moved them "
					"into place");
				if (apply(dir, p, &m) != 0)
					rc = -1;
				manifest_free(&m);
			} else {
				remove_stage(p);
			}
		} else {
			unlink(p);
		}
		free(p);
	}
	closedir(h);
	{
		char *cd = join(dir, "charts");

		unlink_picked(cd, pick_chart_temporary, NULL);
		free(cd);
	}
	return rc;
}

int outdir_begin(struct outdir *od, const char *dir)
{
	char *lock = NULL;

	memset(od, 0, sizeof *od);
	od->lockfd = -1;
	od->dir = strdup(dir);
	lock = join(dir, LOCK_NAME);
	if (!od->dir || !lock)
		goto fail;
	od->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (od->lockfd < 0) {
		diag_at(DIAG_ERROR, dir, 0, 0,
			"cannot write into the folder (its lock file %s): %s",
			LOCK_NAME, strerror(errno));
		goto fail;
	}
	if (flock(od->lockfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			diag_at(DIAG_ERROR, dir, 0, 0,
				"another vmnetrank command is writing this "
				"folder (it holds %s/%s); wait for it to "
				"finish or choose another output folder",
				dir, LOCK_NAME);
		else
			diag_at(DIAG_ERROR, dir, 0, 0, "cannot lock %s: %s",
				LOCK_NAME, strerror(errno));
		goto fail;
	}
	if (recover(dir) != 0)
		goto fail;
	{
		char *tmpl = join(dir, STAGE_PREFIX "XXXXXX");

		if (!tmpl)
			goto fail;
		if (!mkdtemp(tmpl)) {
			diag_at(DIAG_ERROR, dir, 0, 0,
				"cannot make a staging folder in it: %s",
				strerror(errno));
			free(tmpl);
			goto fail;
		}
		od->stage = tmpl;
	}
	free(lock);
	return 0;
fail:
	free(lock);
	outdir_end(od);
	return -1;
}

/* The staged files, as manifest names, after checking each target. */
static int collect(struct outdir *od, struct manifest *m)
{
	int rc = 0;

	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		char *d = pass == 0 ? strdup(od->stage) : join(od->stage, "charts");
		DIR *h = d ? opendir(d) : NULL;
		struct dirent *e;

		if (!d) {
			rc = -1;
			break;
		}
		while (h && rc == 0 && (e = readdir(h)) != NULL) {
			char rel[300], *to, *from;
			struct stat st;

			if (e->d_name[0] == '.')
				continue;
			snprintf(rel, sizeof rel, "%s%s", pass ? "charts/" : "",
				 e->d_name);
			from = join(d, e->d_name);
			if (!from || lstat(from, &st) != 0 || !S_ISREG(st.st_mode)) {
				free(from);
				continue; /* the charts folder itself */
			}
			free(from);
			to = join(od->dir, rel);
			if (!to || manifest_add(m, rel) != 0) {
				rc = -1;
			} else if (lstat(to, &st) == 0 && !S_ISREG(st.st_mode)) {
				diag_at(DIAG_ERROR, to, 0, 0,
					"is not a regular file (expected "
					"an output this command may replace)");
				rc = -1;
			} else if (outfile_check_target(to) != 0) {
				rc = -1;
			}
			free(to);
		}
		if (h)
			closedir(h);
		free(d);
	}
	return rc;
}

int outdir_commit(struct outdir *od, int owns_charts)
{
	struct manifest m;
	char *mp = NULL, *tmp = NULL;
	FILE *f = NULL;
	int rc = -1;

	memset(&m, 0, sizeof m);
	m.owns_charts = owns_charts;
	if (collect(od, &m) != 0)
		goto out;
	mp = join(od->stage, MANIFEST);
	tmp = join(od->stage, MANIFEST ".tmp");
	if (!mp || !tmp)
		goto out;
	f = fopen(tmp, "w");
	if (!f)
		goto werr;
	if (owns_charts)
		fputs("#charts\n", f);
	for (size_t i = 0; i < m.n; i++)
		fprintf(f, "%s\n", m.names[i]);
	fputs("#end\n", f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		goto werr;
	if (fclose(f) != 0) {
		f = NULL;
		goto werr;
	}
	f = NULL;
	if (rename(tmp, mp) != 0)
		goto werr;
	/* from here the commit is finished by the next command if this one
	 * is stopped */
	if (apply(od->dir, od->stage, &m) != 0) {
		/* some files moved: the stage stays for the next command */
		diag_at(DIAG_ERROR, od->dir, 0, 0,
			"the outputs are only partly in place; the next "
			"vmnetrank command on this folder finishes moving them");
		free(od->stage);
		od->stage = NULL;
		goto out;
	}
	free(od->stage);
	od->stage = NULL;
	rc = 0;
	goto out;
werr:
	diag_at(DIAG_ERROR, od->stage, 0, 0, "cannot write the list of "
		"outputs: %s", strerror(errno));
out:
	if (f)
		fclose(f);
	free(mp);
	free(tmp);
	manifest_free(&m);
	return rc;
}

char *outdir_previous_begin(struct outdir *od, const char *const *names)
{
	char *tpl = join(od->dir, PREV_PREFIX "XXXXXX");
	size_t kept = 0;

	if (!tpl || !mkdtemp(tpl)) {
		diag_at(DIAG_ERROR, od->dir, 0, 0,
			"cannot make a folder for the previous outputs: %s",
			strerror(errno));
		free(tpl);
		return NULL;
	}
	for (size_t i = 0; names[i]; i++) {
		char *from = join(od->dir, names[i]), *to = join(tpl, names[i]);
		struct stat st;

		if (from && to && lstat(from, &st) == 0 && S_ISREG(st.st_mode)) {
			if (link(from, to) != 0) {
				diag_at(DIAG_ERROR, from, 0, 0,
					"cannot keep it in previous/: %s",
					strerror(errno));
				free(from);
				free(to);
				remove_stage(tpl);
				free(tpl);
				return NULL;
			}
			kept++;
		}
		free(from);
		free(to);
	}
	(void)kept;
	return tpl;
}

int outdir_previous_commit(struct outdir *od, char *tmp)
{
	char *prev = join(od->dir, "previous"), *old = NULL;
	struct stat st;
	int rc = -1;

	if (!prev)
		goto out;
	if (lstat(prev, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			diag_at(DIAG_ERROR, prev, 0, 0,
				"is not a folder: the previous outputs stay "
				"out of it");
			goto out;
		}
		old = join(od->dir, PREV_PREFIX "oldXXXXXX");
		if (!old || !mkdtemp(old) || rmdir(old) != 0 ||
		    rename(prev, old) != 0) {
			diag_at(DIAG_ERROR, prev, 0, 0, "cannot replace it: %s",
				strerror(errno));
			goto out;
		}
	}
	if (rename(tmp, prev) != 0) {
		diag_at(DIAG_ERROR, prev, 0, 0, "cannot make it: %s",
			strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (old)
		remove_stage(old);
	if (rc != 0)
		remove_stage(tmp);
	free(old);
	free(prev);
	free(tmp);
	return rc;
}

void outdir_previous_drop(char *tmp)
{
	if (tmp)
		remove_stage(tmp);
	free(tmp);
}

void outdir_end(struct outdir *od)
{
	if (od->stage) {
		remove_stage(od->stage);
		free(od->stage);
		od->stage = NULL;
	}
	if (od->lockfd >= 0)
		close(od->lockfd);
	od->lockfd = -1;
	free(od->dir);
	od->dir = NULL;
}
