/* blob.h — where object bytes live. The embedded default is a local folder; the interface is what
 * an external S3-compatible store will implement for scale-out. Bytes are written to a temporary
 * file, fsync'ed and renamed into place only on commit, so a reader never sees a partial object and
 * an interrupted write leaves nothing behind. Names are relative paths such as
 * "stitch-data/4MN/original.tar" ([A-Za-z0-9._-] segments, no "..", no leading '/'). */
#ifndef GP_BLOB_H
#define GP_BLOB_H

#include "core/arena.h"
#include "core/rc.h"

#include <stddef.h>
#include <stdint.h>

struct blob_store;
struct blob_writer;

/* Opens (creating) the store rooted at dir; removes temporary files a crash left behind. */
enum rc blob_open(const char *dir, struct blob_store **out, struct err *e);

void blob_close(struct blob_store *b);

/* 1 when name is an acceptable blob name. */
int blob_name_valid(const char *name);

/* Starts a new temporary object. */
enum rc blob_writer_open(struct blob_store *b, struct blob_writer **out, struct err *e);

/* Appends n bytes. RC_IO (disk full, I/O error) leaves the writer to be aborted. */
enum rc blob_write(struct blob_writer *w, const void *p, size_t n, struct err *e);

/* Bytes written so far. */
uint64_t blob_written(const struct blob_writer *w);

/* fsyncs and renames the object into place as name (replacing any old one), then frees w. On
 * failure the temporary file is removed and w freed too. */
enum rc blob_commit(struct blob_writer *w, const char *name, struct err *e);

/* Discards the temporary object and frees w. NULL is a no-op. */
void blob_abort(struct blob_writer *w);

/* Appends the whole of the existing blob name to w (for multipart assembly). */
enum rc blob_append_from(struct blob_writer *w, const char *name, struct err *e);

/* Size of an existing blob; RC_NOTFOUND when it does not exist. */
enum rc blob_size(struct blob_store *b, const char *name, uint64_t *size, struct err *e);

/* Removes a blob (missing is fine). */
enum rc blob_delete(struct blob_store *b, const char *name, struct err *e);

/* Removes every blob under the prefix "dir/" (missing is fine); for an upload's parts or an
 * iGUIDE's files. */
enum rc blob_delete_prefix(struct blob_store *b, const char *prefix, struct err *e);

/* Reads the whole of a small blob (at most max bytes, else RC_TOOLARGE) into a, NUL-terminated;
 * RC_NOTFOUND when it does not exist, RC_IO, RC_NOMEM. */
enum rc blob_read_all(struct blob_store *b, const char *name, size_t max, struct arena *a,
                      char **out, size_t *n, struct err *e);
/* Opens an existing blob for reading; returns a file descriptor or -1 (RC_NOTFOUND / RC_IO). */
int blob_open_read(struct blob_store *b, const char *name, struct err *e);

#endif
