/*
 * outfile: write an output file so that it is either complete or absent.
 *
 * outfile_open() creates a hidden temporary file beside PATH; the caller
 * writes to of->fp; outfile_commit() checks for write errors, closes and
 * renames it over PATH.  outfile_abort() removes it.  A SIGINT/SIGTERM
 * while files are open removes their temporaries too.
 *
 * PATH "-" or NULL means standard output: the data are spooled to an
 * anonymous temporary file and copied to stdout on commit, so a failed
 * stage prints nothing.  A PATH that already exists and is not a regular
 * file (/dev/null, a FIFO) is written directly: it cannot be replaced.
 */
#ifndef VMNETRANK_OUTFILE_H
#define VMNETRANK_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *fp;
	char *path;    /* final path, NULL for stdout */
	char *tmppath; /* temporary beside it, NULL when direct or spooled */
	int to_stdout;
};

/* 0 on success; -1 with a diagnostic.  Refuses a PATH that is one of
 * the inputs noted below (same device and inode: a hard or symbolic
 * link too) or an output this process opened before. */
int outfile_open(struct outfile *of, const char *path);

/* Note an input of the process (a regular file), so that no output
 * replaces it.  Safe from several threads. */
void outfile_note_input(const char *path);
void outfile_note_input_fd(int fd);
/* PATH was read, but it is an output this command replaces on purpose
 * (an earlier run's ranks.csv, read to say what changed). */
void outfile_forget_input(const char *path);

/* Forget every noted input and output: for the fuzz targets, which run
 * a command many times in one process. */
void outfile_forget_all(void);

/* 0, or -1 with a diagnostic when PATH is a noted input (lib/outdir
 * checks the targets of its moves with it). */
int outfile_check_target(const char *path);

/* Flush, check, close, rename.  0 on success; -1 with a diagnostic (and
 * the temporary removed). */
int outfile_commit(struct outfile *of);

/* When OF's stream has failed (a full disk): an error naming the file,
 * its folder and errno.  For a stage that stopped writing on the error. */
void outfile_report_error(const struct outfile *of);

/* Close and remove the temporary; the previous PATH, if any, is untouched. */
void outfile_abort(struct outfile *of);

/* Flush, check and close stdout; -1 with a diagnostic when output was lost
 * (a full disk, a closed pipe). */
int outfile_close_stdout(void);

/* "DIR/NAME", newly allocated (NULL when out of memory). */
char *outfile_path(const char *dir, const char *name);

#endif
