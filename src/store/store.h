/* store.h — the persistence interface. Everything outside store/ talks to the database through
 * these functions only; there is no SQL above this line. A struct store is one connection and
 * belongs to one thread. Strings in returned rows live in the caller's arena. */
#ifndef GP_STORE_H
#define GP_STORE_H

#include "core/arena.h"
#include "core/ids.h"
#include "core/rc.h"

#include <stddef.h>
#include <stdint.h>

struct store;

struct store_config {
    const char *data_dir;     /* SQLite: <data_dir>/guidepost.db */
};

/* Opens a new connection (does not migrate). */
enum rc store_open(const struct store_config *cfg, struct store **out, struct err *e);

/* Closes a connection opened with store_open. NULL is a no-op. */
void store_close(struct store *s);

/* Applies the pending numbered migrations in one write transaction; *applied counts them. */
enum rc store_migrate(struct store *s, int *applied, struct err *e);

/* Remembers cfg (copied) for store_thread(). Call once before any thread uses the store. */
enum rc store_configure(const struct store_config *cfg, struct err *e);

/* The calling thread's connection, opened on first use and closed when the thread exits;
 * NULL with e set when it cannot be opened. */
struct store *store_thread(struct err *e);

/* Closes the calling thread's connection now (for the main thread before exit). */
void store_thread_release(void);

/* Transactions. write=1 takes the write lock at once. Rollback is safe to call when none is open. */
enum rc store_begin(struct store *s, int write, struct err *e);
enum rc store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

/* ---- API tokens ---- */

struct token_row {
    char id[37];
    const char *name, *description;
    const char *scopes;                   /* space-separated */
    unsigned char hash[32];
    int has_prev;
    unsigned char prev_hash[32];
    int64_t prev_expires_at;
    const char *hint;
    int64_t expires_at, created_at, updated_at, rotated_at, revoked_at;   /* 0 = never */
    const char *created_by;
};

enum rc store_token_insert(struct store *s, const struct token_row *t, struct err *e);
/* RC_NOTFOUND when no token has that id. */
enum rc store_token_get(struct store *s, const char *id, struct arena *a, struct token_row *out,
                        struct err *e);
/* Every token, newest first. */
enum rc store_token_list(struct store *s, struct arena *a, struct token_row **rows, size_t *n,
                         struct err *e);
/* Replaces the secret; the old one stays valid until grace_until. RC_NOTFOUND if missing/revoked. */
enum rc store_token_rotate(struct store *s, const char *id, const unsigned char hash[32],
                           const char *hint, int64_t grace_until, int64_t now, struct err *e);
/* Marks the token revoked (idempotent on an already revoked token). RC_NOTFOUND if missing. */
enum rc store_token_revoke(struct store *s, const char *id, int64_t now, struct err *e);
/* Updates name, description and scopes (NULL leaves a field as it is). RC_NOTFOUND if missing. */
enum rc store_token_update(struct store *s, const char *id, const char *name,
                           const char *description, const char *scopes, int64_t now, struct err *e);

/* ---- iGUIDEs, views, work orders ---- */

struct address {
    const char *country, *province_state, *city, *postal_code, *street_name, *street_number,
        *unit_number;
};

struct iguide_row {
    int64_t seq;
    char id[ID_MAX];
    const char *alias, *type, *industry;
    struct address addr;
    int apply_defaults;
    const char *editors_json, *webhooks_json;
    const char *created_by;
    int64_t created_at, updated_at;
    const char *initial_status;   /* the initial work order's status (read only) */
    char initial_wo_id[ID_MAX];   /* read only */
    char default_view_id[ID_MAX]; /* read only */
};

struct view_row {
    char id[ID_MAX];
    char iguide_id[ID_MAX];
    int is_default, is_protected;
    int64_t expires_at;
    const char *banner_id, *description, *meas_std;
    const char *viewers_json, *viewer_groups_json;
    int64_t created_at, updated_at;
};

struct workorder_row {
    char id[ID_MAX];
    char iguide_id[ID_MAX];
    const char *iguide_type;      /* joined from the iGUIDE (read only) */
    const char *task_type;
    int is_initial;
    const char *status;
    const char *rejection_reason, *exception_reason;
    int64_t created_at, updated_at;
};

/* Inserts the iGUIDE, its default view and its initial work order in one transaction. Picks fresh
 * ids for all three and the first free alias among base, base_2, base_3, ...; writes them back
 * (the alias into a). */
enum rc store_iguide_create(struct store *s, struct iguide_row *g, struct view_row *v,
                            struct workorder_row *w, const char *alias_base, struct arena *a,
                            struct err *e);
enum rc store_iguide_get(struct store *s, const char *id, struct arena *a, struct iguide_row *out,
                         struct err *e);
/* Up to limit iGUIDEs with seq < before_seq (0: from the newest), newest first. */
enum rc store_iguide_list(struct store *s, int64_t before_seq, int limit, struct arena *a,
                          struct iguide_row **rows, size_t *n, struct err *e);
/* Deletes the iGUIDE and, by cascade, its views and work orders. RC_NOTFOUND if missing. */
enum rc store_iguide_delete(struct store *s, const char *id, struct err *e);

/* A cheap round trip, for health checks. */
enum rc store_ping(struct store *s, struct err *e);

enum rc store_view_list(struct store *s, const char *iguide_id, struct arena *a,
                        struct view_row **rows, size_t *n, struct err *e);

/* RC_NOTFOUND unless the work order exists and belongs to iguide_id. */
enum rc store_workorder_get(struct store *s, const char *iguide_id, const char *id,
                            struct arena *a, struct workorder_row *out, struct err *e);
enum rc store_workorder_list(struct store *s, const char *iguide_id, struct arena *a,
                             struct workorder_row **rows, size_t *n, struct err *e);

#endif
