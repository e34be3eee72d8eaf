/* store.h — the persistence interface. Everything outside store/ talks to the database through
 * these functions only; there is no SQL above this line. A struct store is one connection and
 * belongs to one thread. Strings in returned rows live in the caller's arena. */
#ifndef GP_STORE_H
#define GP_STORE_H

#include "core/address.h"
#include "core/arena.h"
#include "core/ids.h"
#include "core/rc.h"
#include "core/search_terms.h"

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
/* Replaces the secret and sets a new expiry; the old secret stays valid until grace_until.
 * RC_NOTFOUND if missing or revoked. */
enum rc store_token_rotate(struct store *s, const char *id, const unsigned char hash[32],
                           const char *hint, int64_t grace_until, int64_t now, int64_t expires_at,
                           struct err *e);
/* Marks the token revoked (idempotent on an already revoked token). RC_NOTFOUND if missing. */
enum rc store_token_revoke(struct store *s, const char *id, int64_t now, struct err *e);
/* Updates name, description and scopes (NULL leaves a field as it is). RC_NOTFOUND if missing. */
enum rc store_token_update(struct store *s, const char *id, const char *name,
                           const char *description, const char *scopes, int64_t now, struct err *e);

/* ---- iGUIDEs, views, work orders ---- */

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
    const char *stage;            /* pipeline stage it is in or failed in; NULL before processing */
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
/* Up to limit iGUIDEs with seq < before_seq (0: from the newest), newest first, each having for
 * every one of the nwords (1..SEARCH_WORDS_MAX) folded words a search term that begins with it. */
enum rc store_iguide_search(struct store *s, const search_term *words, int nwords,
                            int64_t before_seq, int limit, struct arena *a,
                            struct iguide_row **rows, size_t *n, struct err *e);
/* Deletes the iGUIDE and, by cascade, its views, work orders and search terms. RC_NOTFOUND if
 * missing. */
enum rc store_iguide_delete(struct store *s, const char *id, struct err *e);

/* A cheap round trip, for health checks. */
enum rc store_ping(struct store *s, struct err *e);

/* The views of an iGUIDE in creation order (the default view first); in q_views.c. */
enum rc store_view_list(struct store *s, const char *iguide_id, struct arena *a,
                        struct view_row **rows, size_t *n, struct err *e);

/* RC_NOTFOUND unless the work order exists and belongs to iguide_id. */
enum rc store_workorder_get(struct store *s, const char *iguide_id, const char *id,
                            struct arena *a, struct workorder_row *out, struct err *e);
enum rc store_workorder_list(struct store *s, const char *iguide_id, struct arena *a,
                             struct workorder_row **rows, size_t *n, struct err *e);
/* A work order by its id alone (operator tools). */
enum rc store_workorder_by_id(struct store *s, const char *id, struct arena *a,
                              struct workorder_row *out, struct err *e);
/* The newest work orders, optionally only those with status (NULL: all), at most limit. */
enum rc store_workorder_all(struct store *s, const char *status, int limit, struct arena *a,
                            struct workorder_row **rows, size_t *n, struct err *e);
/* Records the pipeline stage a work order is in. */
enum rc store_workorder_set_stage(struct store *s, const char *id, const char *stage,
                                  struct err *e);
/* Inserts an additional work order (not initial) with a fresh id written into w->id. */
enum rc store_workorder_create(struct store *s, struct workorder_row *w, struct err *e);

/* ---- work-order status ---- */

/* ---- server keys ---- */

/* The server key called name (32 random bytes), created on first use; shared by every node. */
enum rc store_server_key(struct store *s, const char *name, unsigned char out[32], struct err *e);

/* ---- Stitch Data (upload permits) ---- */

struct stitch_row {
    char id[ID_MAX];
    char iguide_id[ID_MAX];
    char work_order_id[ID_MAX];
    const char *filename;
    int64_t filesize;
    const char *bucket, *object_key;
    char access_key_id[32];
    unsigned char session_hash[32];
    unsigned char upload_token_hash[32];
    int64_t expires_at, created_at;
    char job_id[ID_MAX];          /* "" until /process enqueued it */
    int64_t enqueued_at;
};

/* Inserts a permit, drawing a fresh Stitch Data id into s->id; object_key may contain "{id}",
 * which is replaced by that id (the caller passes it in a; the stored key is written back). */
enum rc store_stitch_create(struct store *s, struct stitch_row *row, struct arena *a,
                            struct err *e);
enum rc store_stitch_get(struct store *s, const char *id, struct arena *a, struct stitch_row *out,
                         struct err *e);
/* The permit whose temporary credentials have this access key id. */
enum rc store_stitch_by_akid(struct store *s, const char *akid, struct arena *a,
                             struct stitch_row *out, struct err *e);
/* The newest permit of the work order that /process was called for (what a retried ingest
 * reads). RC_NOTFOUND when there is none. */
enum rc store_stitch_processed_for_wo(struct store *s, const char *work_order_id,
                                      struct arena *a, struct stitch_row *out, struct err *e);
/* Inside the caller's transaction, before the iGUIDE's row goes: deletes the S3 objects and
 * multipart uploads of its permits and returns their blob names (arena) for the caller to
 * remove once the transaction commits. */
enum rc store_iguide_uploads_purge(struct store *s, const char *iguide_id, struct arena *a,
                                   const char ***blobs, size_t *n, struct err *e);
/* Replaces the stored hash of the permit's upload token. */
enum rc store_stitch_set_upload_token(struct store *s, const char *id, const unsigned char hash[32],
                                      struct err *e);
/* Records the processing job of a permit. */
enum rc store_stitch_set_job(struct store *s, const char *id, const char *job_id,
                             int64_t enqueued_at, struct err *e);

/* ---- objects of the S3 endpoint ---- */

struct object_row {
    const char *bucket, *key;
    int64_t size;
    const char *etag;                 /* quoted */
    const char *checksum_alg, *checksum;
    const char *content_type;
    const char *blob_name;
    int64_t created_at;
};

/* Inserts or replaces the object; *old_blob (arena) names the replaced blob to delete, or NULL. */
enum rc store_object_put(struct store *s, const struct object_row *o, struct arena *a,
                         const char **old_blob, struct err *e);
enum rc store_object_get(struct store *s, const char *bucket, const char *key, struct arena *a,
                         struct object_row *out, struct err *e);

/* ---- multipart uploads ---- */

struct mpu_row {
    const char *upload_id, *bucket, *key, *access_key_id;
    const char *checksum_alg, *content_type;
    const char *state;                /* "open" or "completed" */
    const char *completed_etag, *completed_parts;
    int64_t expires_at, created_at;
};

struct part_row {
    int part_number;
    int64_t size;
    const char *etag;                 /* quoted */
    const char *checksum;
    const char *blob_name;
    int64_t created_at;
};

enum rc store_mpu_create(struct store *s, const struct mpu_row *m, struct err *e);
enum rc store_mpu_get(struct store *s, const char *upload_id, struct arena *a,
                      struct mpu_row *out, struct err *e);
/* Deletes the upload and its part rows (the caller deletes the blobs). */
enum rc store_mpu_delete(struct store *s, const char *upload_id, struct err *e);
enum rc store_mpu_mark_completed(struct store *s, const char *upload_id, const char *etag,
                                 const char *parts_signature, struct err *e);
/* Open uploads whose credentials expired before now, at most limit. */
enum rc store_mpu_expired(struct store *s, int64_t now, int limit, struct arena *a,
                          struct mpu_row **rows, size_t *n, struct err *e);
/* How many multipart uploads of this access key (permit) are open. */
enum rc store_mpu_open_count(struct store *s, const char *access_key_id, int64_t *n,
                             struct err *e);
/* The bytes of every stored part of this access key's open multipart uploads, leaving out part
 * except_part of except_upload (the one a request would replace; NULL for none). */
enum rc store_mpu_open_bytes(struct store *s, const char *access_key_id, const char *except_upload,
                             int except_part, int64_t *bytes, struct err *e);
/* Inserts or replaces a part; *old_blob names a replaced part's blob to delete, or NULL. */
enum rc store_part_put(struct store *s, const char *upload_id, const struct part_row *p,
                       struct arena *a, const char **old_blob, struct err *e);
/* The parts in part-number order. */
enum rc store_part_list(struct store *s, const char *upload_id, struct arena *a,
                        struct part_row **rows, size_t *n, struct err *e);

/* ---- jobs ---- */

/* Enqueues a job inside the caller's transaction. With an idem_key that is already queued (or
 * done), nothing is added and the existing job's id and creation time are returned, with
 * *created = 0. */
enum rc store_job_enqueue(struct store *s, const char *queue, const char *type,
                          const char *payload, const char *idem_key, int64_t run_at,
                          char id_out[ID_MAX], int64_t *enqueued_at, int *created, struct err *e);

/* ---- pipeline: manifests, deliverables ---- */

struct deliverable_row {
    char iguide_id[ID_MAX];
    const char *name, *work_order_id, *format, *content_type, *sha256, *blob_name;
    int64_t size, created_at;
};

struct manifest_row {
    char work_order_id[ID_MAX], iguide_id[ID_MAX], stitch_id[ID_MAX];
    const char *blob_name;
    const char *summary;              /* JSON, NULL until drafted */
    int64_t created_at;
};

/* Moves a work order from `from` to `to` (compare-and-set) and sets or clears its reasons
 * (NULL clears). RC_PRECONDITION when it is not in `from`. Callers go through wo_move, which
 * checks the lifecycle first. */
enum rc store_workorder_transition(struct store *s, const char *id, const char *from,
                                   const char *to, const char *rejection_reason,
                                   const char *exception_reason, int64_t now, struct err *e);
/* Changes the iGUIDE's package (an upgrade work order completed). */
enum rc store_iguide_set_type(struct store *s, const char *id, const char *type, int64_t now,
                              struct err *e);

enum rc store_manifest_put(struct store *s, const struct manifest_row *m, struct err *e);
enum rc store_manifest_get(struct store *s, const char *work_order_id, struct arena *a,
                           struct manifest_row *out, struct err *e);
enum rc store_manifest_set_summary(struct store *s, const char *work_order_id,
                                   const char *summary, struct err *e);
/* The manifest row of the iGUIDE's initial work order. */
enum rc store_manifest_for_iguide(struct store *s, const char *iguide_id, struct arena *a,
                                  struct manifest_row *out, struct err *e);

/* Inserts or replaces a deliverable; *old_blob (arena) names a replaced blob to delete, or NULL. */
enum rc store_deliverable_put(struct store *s, const struct deliverable_row *d, struct arena *a,
                              const char **old_blob, struct err *e);
enum rc store_deliverable_get(struct store *s, const char *iguide_id, const char *name,
                              struct arena *a, struct deliverable_row *out, struct err *e);
enum rc store_deliverable_list(struct store *s, const char *iguide_id, struct arena *a,
                               struct deliverable_row **rows, size_t *n, struct err *e);

struct job_row {
    char id[ID_MAX];
    const char *queue, *type, *payload;
    const char *state;                /* queued, running, done, dead */
    int attempts, max_attempts;
    int64_t run_at, locked_until;
    const char *locked_by, *last_error;
    int64_t created_at, updated_at;
};

/* Claims the next due job of queue (one UPDATE ... RETURNING, so two workers never get the same
 * job): running, attempts+1, leased to worker until now+lease_ms. RC_DONE when none is due. */
enum rc store_job_claim(struct store *s, const char *queue, const char *worker, int64_t now,
                        int64_t lease_ms, struct arena *a, struct job_row *out, struct err *e);
/* Marks a claimed job done, fenced by the lease: RC_PRECONDITION when worker no longer holds it.
 * Runs inside the caller's transaction when there is one, so effects and completion commit as one. */
enum rc store_job_complete(struct store *s, const char *id, const char *worker, int64_t now,
                           struct err *e);
/* Gives a claimed job back: queued again at retry_at, or dead once it has made max_attempts
 * attempts (0: the row's max_attempts; else recorded in the row); fenced like store_job_complete. */
enum rc store_job_fail(struct store *s, const char *id, const char *worker, int64_t now,
                       int64_t retry_at, const char *error, int max_attempts, struct err *e);
/* Extends a running job's lease; fenced. */
enum rc store_job_heartbeat(struct store *s, const char *id, const char *worker,
                            int64_t locked_until, int64_t now, struct err *e);
/* Returns jobs of queue and type (NULL: any) whose lease expired before now to the queue, or to
 * dead after their last attempt (max_attempts as for store_job_fail). */
enum rc store_job_reap(struct store *s, const char *queue, const char *type, int max_attempts,
                       int64_t now, int64_t *reaped, struct err *e);
/* The earliest run_at of a queued job in queue, or 0 when none is queued. */
enum rc store_job_next_due(struct store *s, const char *queue, int64_t *run_at, struct err *e);
enum rc store_job_get(struct store *s, const char *id, struct arena *a, struct job_row *out,
                      struct err *e);

/* ---- views (q_views.c) ---- */

/* Inserts v inside the caller's transaction, drawing a fresh view id into v->id; v->iguide_id
 * must name an existing iGUIDE. */
enum rc store_view_insert(struct store *s, struct view_row *v, struct err *e);
/* The view with this id, whatever its iGUIDE; RC_NOTFOUND when there is none. */
enum rc store_view_get(struct store *s, const char *id, struct arena *a, struct view_row *out,
                       struct err *e);
/* The default view of the iGUIDE with this alias (its public URL, /{alias}); RC_NOTFOUND when no
 * iGUIDE has it. */
enum rc store_view_by_alias(struct store *s, const char *alias, struct arena *a,
                            struct view_row *out, struct err *e);
/* Writes v's settings (protection, expiry, banner, description, measurement standard, viewer
 * lists, updated_at) to the view v->id; RC_NOTFOUND when it does not exist. */
enum rc store_view_update(struct store *s, const struct view_row *v, struct err *e);
/* Deletes a view for good: RC_DENIED for a default view (kept), RC_NOTFOUND when missing. */
enum rc store_view_delete(struct store *s, const char *id, struct err *e);
/* Sets the expiry of one view; RC_NOTFOUND when it does not exist. */
enum rc store_view_set_expiry(struct store *s, const char *id, int64_t expires_at, int64_t now,
                              struct err *e);
/* Sets the expiry of every view of an iGUIDE; *changed (if non-NULL) gets how many. */
enum rc store_view_set_expiry_all(struct store *s, const char *iguide_id, int64_t expires_at,
                                  int64_t now, int64_t *changed, struct err *e);

#endif
