/* store_fixture.h — a cmocka fixture shared by the store-backed unit tests: a fresh SQLite store
 * in a temporary folder, fully migrated, with an arena; removed again afterwards. Included by
 * test files (everything static), not a library. */
#ifndef GP_STORE_FIXTURE_H
#define GP_STORE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "store/migrations.h"
#include "store/store.h"

struct fx {
    char dir[64];
    struct store *s;
    struct arena *a;
};


/* How many migrations the binary carries, so adding one does not break this test. */
static int migration_count(void)
{
    int n = 0;
    for (const struct migration *m = migrations_for("sqlite"); m->sql; m++)
        n++;
    return n;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char p[256];
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            int n = snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            if (n > 0 && (size_t)n < sizeof p)
                unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/gp-unit-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    struct store_config cfg = {.data_dir = f->dir};
    struct err e = {0};
    int applied = -1;
    if (store_open(&cfg, &f->s, &e) != RC_OK || store_migrate(f->s, &applied, &e) != RC_OK ||
        applied != migration_count()) {
        fprintf(stderr, "store: %s (applied %d)\n", e.msg, applied);
        return -1;
    }
    f->a = arena_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    arena_free(f->a);
    store_close(f->s);
    rm_dir(f->dir);
    free(f);
    return 0;
}

#endif
