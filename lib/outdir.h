/*
 * outdir: a whole command's output folder, all or nothing.
 *
 * outdir_begin() locks DIR (flock on DIR/.vmnetrank.lock: a second
 * command writing the same folder is refused, not mixed in), finishes or
 * removes what a killed command left there (a staging folder, hidden
 * temporaries of our file names), and makes a staging folder
 * DIR/.vmnetrank-stage.XXXXXX.  The stages write into od.stage.
 *
 * outdir_commit() moves the staged files into DIR.  It first writes the
 * list of them (stage/.commit); from then on a kill is finished by the
 * next outdir_begin() on DIR, which moves the rest and removes the stale
 * charts, so DIR ends with the previous outputs or the new ones, never a
 * mix of both.  outdir_end() unlocks, and removes an uncommitted stage:
 * a failed command leaves DIR as it was.
 */
#ifndef VMNETRANK_OUTDIR_H
#define VMNETRANK_OUTDIR_H

struct outdir {
	char *dir;   /* the final folder */
	char *stage; /* the staging folder inside it */
	int lockfd;
};

/* 0, or -1 with a diagnostic (DIR locked by another command, not a
 * folder, not writable). */
int outdir_begin(struct outdir *od, const char *dir);

/* OWNS_CHARTS: charts/NN-kind.png of an earlier command that this one did
 * not write are removed.  0, or -1 with a diagnostic (nothing moved when
 * a target is an input of this command or not a regular file). */
int outdir_commit(struct outdir *od, int owns_charts);

/*
 * previous/: the earlier outputs NAMES of DIR, kept when a command replaces
 * them.  outdir_previous_begin() (before the commit) hard-links them into
 * a hidden folder DIR/.vmnetrank-prev.XXXXXX and returns its path (NULL
 * after a diagnostic); after the commit, outdir_previous_commit() makes it
 * DIR/previous (the one before goes), or outdir_previous_drop() removes
 * it when the command failed.  Both free TMP.  A command stopped between
 * them leaves a hidden folder the next command removes: previous/ may be
 * lost then, the outputs never.
 */
char *outdir_previous_begin(struct outdir *od, const char *const *names);
int outdir_previous_commit(struct outdir *od, char *tmp);
void outdir_previous_drop(char *tmp);

/* After a commit, or instead of one: remove the stage when it was not
 * committed (DIR stays as it was), unlock. */
void outdir_end(struct outdir *od);

#endif
