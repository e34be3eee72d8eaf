/* store_fixture.h — a cmocka fixture shared by the store-backed unit tests: a fresh SQLite store
 * in a temporary folder, fully migrated, with an arena; removed again afterwards. Included by
 * test files after cmocka.h (everything static), not a library. */
#ifndef GP_STORE_FIXTURE_H
#define GP_STORE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
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

/* The rows of one iGUIDE as store_iguide_create takes them. */
struct made {
    struct iguide_row g;
    struct view_row v;
    struct workorder_row w;
};

/* A Standard residential iGUIDE at the tutorial's address, at time now: its default view
 * (public, RMS, expiring a year later) and its empty initial work order. Tests change fields
 * before fx_iguide_create. */
static inline void fx_iguide_fill(struct made *m, int64_t now)
{
    memset(m, 0, sizeof *m);
    m->g.type = "standard";
    m->g.industry = "residential";
    m->g.addr = (struct address){"CA", "ON", "Waterloo", "N2L 3G1", "University Ave", "200", NULL};
    m->g.editors_json = "[]";
    m->g.webhooks_json = "[]";
    m->g.created_at = m->g.updated_at = now;
    m->v.is_default = 1;
    m->v.expires_at = clock_add_years(now, 1);
    m->v.meas_std = "rms";
    m->v.viewers_json = "[]";
    m->v.viewer_groups_json = "[]";
    m->v.created_at = m->v.updated_at = now;
    m->w.task_type = "initial";
    m->w.is_initial = 1;
    m->w.status = "empty";
    m->w.created_at = m->w.updated_at = now;
}

/* Inserts m with store_iguide_create (fresh ids written back), failing the test on an error. */
static inline void fx_iguide_create(struct fx *f, struct made *m, const char *alias_base)
{
    struct err e = {0};
    enum rc rc = store_iguide_create(f->s, &m->g, &m->v, &m->w, alias_base, f->a, &e);
    if (rc != RC_OK)
        fail_msg("store_iguide_create: %s %s", rc_name(rc), e.msg);
}

#endif
