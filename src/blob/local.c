/* local.c — the local-folder blob store: <root>/objects/<name> for objects and <root>/tmp for
 * writes in progress. Durability order: write, fsync(file), rename, fsync(parent directory).
 * Folders are 0700 and files 0600 whatever the umask: they hold the customers' data. */
#include "blob/blob.h"

#include "core/crypto.h"
#include "core/fault.h"
#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_CAP 4096

struct blob_store {
    char root[PATH_CAP];
};

struct blob_writer {
    struct blob_store *b;
    int fd;
    uint64_t written;
    char tmp[PATH_CAP];
};

/* out = a + "/" + b; -1 (and nothing usable in out) when it would not fit. */
static int join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* mkdir that gives the new folder exactly 0700 whatever the umask; EEXIST is success. */
static int mkdir_private(const char *path)
{
    if (mkdir(path, 0700) == 0)
        return chmod(path, 0700);
    return errno == EEXIST ? 0 : -1;
}

static int mkdirs(char *path)
{
    /* Creates every directory along path (modifies and restores path). */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir_private(path);
        *p = '/';
        if (r != 0)
            return -1;
    }
    return mkdir_private(path);
}

/* A folder of the blob store that already existed with a looser mode is made 0700. */
static int tighten(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -1;
    if ((sb.st_mode & 07777) == 0700)
        return 0;
    if (chmod(path, 0700) != 0)
        return -1;
    log_warn("blob folder %s had mode %04o; changed to 0700", path, (unsigned)(sb.st_mode & 07777));
    return 0;
}

static void clear_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char p[PATH_CAP];
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (join(p, sizeof p, dir, de->d_name) == 0)
            unlink(p);
    }
    closedir(d);
}

enum rc blob_open(const char *dir, struct blob_store **out, struct err *e)
{
    struct blob_store *b = calloc(1, sizeof *b);
    if (!b)
        return err_set(e, RC_NOMEM, "out of memory");
    int n = snprintf(b->root, sizeof b->root, "%s", dir);
    char sub[PATH_CAP];
    if (n <= 0 || (size_t)n >= sizeof b->root - 64) {
        free(b);
        return err_set(e, RC_INVALID, "blob folder path is too long");
    }
    if (join(sub, sizeof sub, b->root, "tmp") || mkdirs(sub) || tighten(b->root) || tighten(sub)) {
        free(b);
        return err_set(e, RC_IO, "cannot create %s (mode 0700): %s", sub, strerror(errno));
    }
    /* Temporary files are never committed after a restart: what a crash left is garbage. */
    clear_dir(sub);
    if (join(sub, sizeof sub, b->root, "objects") || mkdirs(sub) || tighten(sub)) {
        free(b);
        return err_set(e, RC_IO, "cannot create %s (mode 0700): %s", sub, strerror(errno));
    }
    *out = b;
    return RC_OK;
}

void blob_close(struct blob_store *b)
{
    free(b);
}

int blob_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 512 || name[0] == '/' || name[n - 1] == '/')
        return 0;
    const char *seg = name;
    for (const char *p = name;; p++) {
        if (*p == '/' || *p == '\0') {
            size_t len = (size_t)(p - seg);
            if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
                return 0;
            if (!*p)
                break;
            seg = p + 1;
            continue;
        }
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static enum rc object_path(struct blob_store *b, const char *name, char *out, struct err *e)
{
    if (!blob_name_valid(name))
        return err_set(e, RC_INVALID, "invalid blob name");
    char dir[PATH_CAP];
    if (join(dir, sizeof dir, b->root, "objects") || join(out, PATH_CAP, dir, name))
        return err_set(e, RC_INVALID, "blob name too long");
    return RC_OK;
}

enum rc blob_writer_open(struct blob_store *b, struct blob_writer **out, struct err *e)
{
    struct blob_writer *w = calloc(1, sizeof *w);
    if (!w)
        return err_set(e, RC_NOMEM, "out of memory");
    unsigned char rnd[12];
    char hex[25];
    if (crypto_random(rnd, sizeof rnd)) {
        free(w);
        return err_set(e, RC_INTERNAL, "random source failed");
    }
    crypto_hex(rnd, sizeof rnd, hex);
    char dir[PATH_CAP];
    if (join(dir, sizeof dir, b->root, "tmp") || join(w->tmp, sizeof w->tmp, dir, hex)) {
        free(w);
        return err_set(e, RC_INVALID, "blob folder path is too long");
    }
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    /* Exactly 0600 whatever the umask: uploads and deliverables are the customers' data. */
    if (w->fd >= 0 && fchmod(w->fd, 0600) != 0) {
        close(w->fd);
        unlink(w->tmp);
        w->fd = -1;
    }
    if (w->fd < 0) {
        enum rc rc = err_set(e, RC_IO, "cannot create a temporary file: %s", strerror(errno));
        free(w);
        return rc;
    }
    w->b = b;
    *out = w;
    return RC_OK;
}

enum rc blob_write(struct blob_writer *w, const void *p, size_t n, struct err *e)
{
    const char *c = p;
    while (n) {
        ssize_t k = fault_hit(FAULT_BLOB_WRITE) ? (errno = EIO, -1) : write(w->fd, c, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return err_set(e, RC_IO, "write failed: %s", strerror(errno));
        }
        c += k;
        n -= (size_t)k;
        w->written += (uint64_t)k;
    }
    return RC_OK;
}

uint64_t blob_written(const struct blob_writer *w)
{
    return w->written;
}

void blob_abort(struct blob_writer *w)
{
    if (!w)
        return;
    close(w->fd);
    unlink(w->tmp);
    free(w);
}

static void fsync_parent(const char *path)
{
    char dir[PATH_CAP];
    if (strlen(path) >= sizeof dir)
        return;
    memcpy(dir, path, strlen(path) + 1);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return;
    *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

enum rc blob_commit(struct blob_writer *w, const char *name, struct err *e)
{
    char path[PATH_CAP];
    enum rc rc = object_path(w->b, name, path, e);
    if (rc == RC_OK && (fault_hit(FAULT_BLOB_COMMIT) ? (errno = EIO, -1) : fsync(w->fd)) != 0)
        rc = err_set(e, RC_IO, "fsync failed: %s", strerror(errno));
    if (rc == RC_OK) {
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (mkdirs(path))
            rc = err_set(e, RC_IO, "cannot create a folder for %s: %s", name, strerror(errno));
        *slash = '/';
    }
    if (rc == RC_OK &&
        (fault_hit(FAULT_BLOB_COMMIT) ? (errno = EIO, -1) : rename(w->tmp, path)) != 0)
        rc = err_set(e, RC_IO, "rename failed: %s", strerror(errno));
    if (rc != RC_OK) {
        blob_abort(w);
        return rc;
    }
    fsync_parent(path);
    close(w->fd);
    free(w);
    return RC_OK;
}

enum rc blob_append_from(struct blob_writer *w, const char *name, struct err *e)
{
    char path[PATH_CAP];
    enum rc rc = object_path(w->b, name, path, e);
    if (rc != RC_OK)
        return rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, errno == ENOENT ? RC_NOTFOUND : RC_IO, "cannot open %s", name);
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return err_set(e, RC_IO, "cannot stat %s", name);
    }
    /* copy_file_range keeps the bytes in the kernel (and shares extents where the file system can). */
    uint64_t left = (uint64_t)sb.st_size;
    while (left) {
        ssize_t k = copy_file_range(fd, NULL, w->fd, NULL, left > (1u << 30) ? (1u << 30) : left, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            /* Fallback for file systems without copy_file_range. */
            char buf[65536];
            ssize_t r = read(fd, buf, sizeof buf);
            if (r <= 0) {
                close(fd);
                return err_set(e, RC_IO, "cannot read %s", name);
            }
            rc = blob_write(w, buf, (size_t)r, e);
            if (rc != RC_OK) {
                close(fd);
                return rc;
            }
            left -= (uint64_t)r;
            continue;
        }
        left -= (uint64_t)k;
        w->written += (uint64_t)k;
    }
    close(fd);
    return RC_OK;
}

enum rc blob_size(struct blob_store *b, const char *name, uint64_t *size, struct err *e)
{
    char path[PATH_CAP];
    enum rc rc = object_path(b, name, path, e);
    if (rc != RC_OK)
        return rc;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(e, errno == ENOENT ? RC_NOTFOUND : RC_IO, "no blob %s", name);
    *size = (uint64_t)sb.st_size;
    return RC_OK;
}

enum rc blob_delete(struct blob_store *b, const char *name, struct err *e)
{
    char path[PATH_CAP];
    enum rc rc = object_path(b, name, path, e);
    if (rc != RC_OK)
        return rc;
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(e, RC_IO, "cannot delete %s: %s", name, strerror(errno));
    return RC_OK;
}

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? 0 : (unlink(path) == 0 ? 0 : -1);
    struct dirent *de;
    char p[PATH_CAP];
    int r = 0;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (join(p, sizeof p, path, de->d_name)) {
            r = -1;
            continue;
        }
        if (de->d_type == DT_DIR)
            r |= remove_tree(p);
        else if (unlink(p) != 0 && errno != ENOENT)
            r = -1;
    }
    closedir(d);
    if (rmdir(path) != 0 && errno != ENOENT)
        r = -1;
    return r;
}

enum rc blob_delete_prefix(struct blob_store *b, const char *prefix, struct err *e)
{
    char path[PATH_CAP];
    enum rc rc = object_path(b, prefix, path, e);
    if (rc != RC_OK)
        return rc;
    return remove_tree(path) == 0 ? RC_OK : err_set(e, RC_IO, "cannot delete %s", prefix);
}

int blob_open_read(struct blob_store *b, const char *name, struct err *e)
{
    char path[PATH_CAP];
    if (object_path(b, name, path, e) != RC_OK)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        err_set(e, errno == ENOENT ? RC_NOTFOUND : RC_IO, "cannot open %s", name);
    return fd;
}

enum rc blob_read_all(struct blob_store *b, const char *name, size_t max, struct arena *a,
                      char **out, size_t *n, struct err *e)
{
    int fd = blob_open_read(b, name, e);
    if (fd < 0)
        return e->rc;
    struct stat sb;
    enum rc rc = RC_OK;
    char *p = NULL;
    size_t got = 0, size = 0;
    if (fstat(fd, &sb) != 0)
        rc = err_set(e, RC_IO, "cannot stat %s: %s", name, strerror(errno));
    else if ((uint64_t)sb.st_size > max)
        rc = err_set(e, RC_TOOLARGE, "%s is larger than %zu bytes", name, max);
    else if (!(p = arena_alloc(a, (size = (size_t)sb.st_size) + 1)))
        rc = err_set(e, RC_NOMEM, "out of memory");
    while (rc == RC_OK && got < size) {
        ssize_t r = read(fd, p + got, size - got);
        if (r <= 0)
            rc = err_set(e, RC_IO, "reading %s: short read", name);
        else
            got += (size_t)r;
    }
    close(fd);
    if (rc != RC_OK)
        return rc;
    p[got] = '\0';
    *out = p;
    *n = got;
    return RC_OK;
}
