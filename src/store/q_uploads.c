/* q_uploads.c — Stitch Data permits, server keys, and the objects and multipart uploads of the
 * built-in S3 endpoint. */
#include "store/store_int.h"

#include "core/crypto.h"

#include <stdio.h>
#include <string.h>

#define STITCH_COLS                                                                                \
    "id, iguide_id, work_order_id, filename, filesize, bucket, object_key, access_key_id, "        \
    "session_hash, upload_token_hash, expires_at, created_at, job_id, enqueued_at"

static const struct query q_key_get = {"SELECT value FROM server_keys WHERE name = ?1", NULL};
static const struct query q_key_add = {
    "INSERT INTO server_keys (name, value, created_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (name) DO NOTHING",
    NULL};
static const struct query q_stitch_taken = {"SELECT 1 FROM stitch_data WHERE id = ?1", NULL};
static const struct query q_stitch_insert = {
    "INSERT INTO stitch_data (" STITCH_COLS ") VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, NULL)",
    NULL};
static const struct query q_stitch_get = {"SELECT " STITCH_COLS " FROM stitch_data WHERE id = ?1",
                                          NULL};
static const struct query q_stitch_by_akid = {
    "SELECT " STITCH_COLS " FROM stitch_data WHERE access_key_id = ?1", NULL};
static const struct query q_stitch_processed = {
    "SELECT " STITCH_COLS " FROM stitch_data WHERE work_order_id = ?1 AND job_id IS NOT NULL AND job_id <> '' "
    "ORDER BY enqueued_at DESC, created_at DESC LIMIT 1",
    NULL};
static const struct query q_stitch_set_token = {
    "UPDATE stitch_data SET upload_token_hash = ?2 WHERE id = ?1", NULL};
static const struct query q_stitch_set_job = {
    "UPDATE stitch_data SET job_id = ?2, enqueued_at = ?3 WHERE id = ?1", NULL};

#define OBJECT_COLS                                                                                \
    "bucket, object_key, size, etag, checksum_alg, checksum, content_type, blob_name, created_at"
static const struct query q_object_get = {
    "SELECT " OBJECT_COLS " FROM objects WHERE bucket = ?1 AND object_key = ?2", NULL};
static const struct query q_object_blob = {
    "SELECT blob_name FROM objects WHERE bucket = ?1 AND object_key = ?2", NULL};
static const struct query q_object_put = {
    "INSERT INTO objects (" OBJECT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (bucket, object_key) DO UPDATE SET size = excluded.size, etag = excluded.etag, "
    "checksum_alg = excluded.checksum_alg, checksum = excluded.checksum, "
    "content_type = excluded.content_type, blob_name = excluded.blob_name, "
    "created_at = excluded.created_at",
    NULL};

#define MPU_COLS                                                                                   \
    "upload_id, bucket, object_key, access_key_id, checksum_alg, content_type, state, "            \
    "completed_etag, completed_parts, expires_at, created_at"
static const struct query q_mpu_insert = {
    "INSERT INTO multipart_uploads (" MPU_COLS ") VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, 'open', NULL, NULL, ?7, ?8)",
    NULL};
static const struct query q_mpu_get = {
    "SELECT " MPU_COLS " FROM multipart_uploads WHERE upload_id = ?1", NULL};
static const struct query q_mpu_delete = {"DELETE FROM multipart_uploads WHERE upload_id = ?1",
                                          NULL};
static const struct query q_mpu_complete = {
    "UPDATE multipart_uploads SET state = 'completed', completed_etag = ?2, completed_parts = ?3 "
    "WHERE upload_id = ?1",
    NULL};
static const struct query q_mpu_expired = {
    "SELECT " MPU_COLS " FROM multipart_uploads WHERE state = 'open' AND expires_at < ?1 "
    "ORDER BY expires_at LIMIT ?2",
    NULL};
static const struct query q_mpu_open_count = {
    "SELECT COUNT(*) FROM multipart_uploads WHERE access_key_id = ?1 AND state = 'open'", NULL};
static const struct query q_mpu_open_bytes = {
    "SELECT COALESCE(SUM(p.size), 0) FROM multipart_parts p "
    "JOIN multipart_uploads m ON m.upload_id = p.upload_id "
    "WHERE m.access_key_id = ?1 AND m.state = 'open' AND NOT (p.upload_id = ?2 AND p.part_number = ?3)",
    NULL};
#define PART_COLS "part_number, size, etag, checksum, blob_name, created_at"
static const struct query q_part_blob = {
    "SELECT blob_name FROM multipart_parts WHERE upload_id = ?1 AND part_number = ?2", NULL};
static const struct query q_part_put = {
    "INSERT INTO multipart_parts (upload_id, " PART_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, "
    "etag = excluded.etag, checksum = excluded.checksum, blob_name = excluded.blob_name, "
    "created_at = excluded.created_at",
    NULL};
static const struct query q_part_list = {
    "SELECT " PART_COLS " FROM multipart_parts WHERE upload_id = ?1 ORDER BY part_number", NULL};


/* ---- server keys ---- */

enum rc store_server_key(struct store *s, const char *name, unsigned char out[32], struct err *e)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        struct db_stmt *st;
        enum rc rc = q_start(s, &q_key_get, &st, e, Q_ARGS(QT(name)));
        if (rc != RC_OK)
            return rc;
        rc = s->drv->step(st, e);
        if (rc == RC_ROW) {
            int bad = q_blob(s, st, 0, out, 32);
            s->drv->reset(st);
            return bad ? err_set(e, RC_INTERNAL, "server key %s is damaged", name) : RC_OK;
        }
        s->drv->reset(st);
        if (rc != RC_DONE)
            return rc;
        /* First use: create it. ON CONFLICT makes two nodes racing here agree on one key. */
        unsigned char fresh[32];
        if (crypto_random(fresh, sizeof fresh))
            return err_set(e, RC_INTERNAL, "random source failed");
        rc = q_exec(s, &q_key_add, NULL, e, Q_ARGS(QT(name), QB(fresh, sizeof fresh), QI(0)));
        if (rc != RC_OK)
            return rc;
    }
    return err_set(e, RC_INTERNAL, "cannot create server key %s", name);
}

/* ---- Stitch Data ---- */

static void read_stitch(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct stitch_row *r = row;
    memset(r, 0, sizeof *r);
    q_text_into(s, st, 0, r->id, sizeof r->id);
    q_text_into(s, st, 1, r->iguide_id, sizeof r->iguide_id);
    q_text_into(s, st, 2, r->work_order_id, sizeof r->work_order_id);
    r->filename = q_text(s, st, 3, a);
    r->filesize = q_i64(s, st, 4);
    r->bucket = q_text(s, st, 5, a);
    r->object_key = q_text(s, st, 6, a);
    q_text_into(s, st, 7, r->access_key_id, sizeof r->access_key_id);
    q_blob(s, st, 8, r->session_hash, sizeof r->session_hash);
    q_blob(s, st, 9, r->upload_token_hash, sizeof r->upload_token_hash);
    r->expires_at = q_i64(s, st, 10);
    r->created_at = q_i64(s, st, 11);
    q_text_into(s, st, 12, r->job_id, sizeof r->job_id);
    r->enqueued_at = q_i64(s, st, 13);
}

enum rc store_stitch_create(struct store *s, struct stitch_row *r, struct arena *a, struct err *e)
{
    for (int i = 0; i < 8; i++) {
        if (id_new(ID_STITCHDATA, r->id))
            return err_set(e, RC_INTERNAL, "random source failed");
        struct db_stmt *st;
        enum rc rc = q_start(s, &q_stitch_taken, &st, e, Q_ARGS(QT(r->id)));
        if (rc != RC_OK)
            return rc;
        rc = s->drv->step(st, e);
        s->drv->reset(st);
        if (rc == RC_ROW)
            continue;
        if (rc != RC_DONE)
            return rc;
        /* The key names the Stitch Data id: "stitch-data/{id}/original.tar". */
        const char *tpl = r->object_key, *at = strstr(tpl, "{id}");
        if (at) {
            char *key = arena_printf(a, "%.*s%s%s", (int)(at - tpl), tpl, r->id, at + 4);
            if (!key)
                return err_set(e, RC_NOMEM, "out of memory");
            r->object_key = key;
        }
        return q_exec(s, &q_stitch_insert, NULL, e,
                      Q_ARGS(QT(r->id), QT(r->iguide_id), QT(r->work_order_id), QT(r->filename),
                             QI(r->filesize), QT(r->bucket), QT(r->object_key),
                             QT(r->access_key_id), QB(r->session_hash, 32),
                             QB(r->upload_token_hash, 32), QI(r->expires_at), QI(r->created_at)));
    }
    return err_set(e, RC_INTERNAL, "could not draw a free Stitch Data id");
}

enum rc store_stitch_get(struct store *s, const char *id, struct arena *a, struct stitch_row *out,
                         struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_stitch_get, &st, e, Q_ARGS(QT(id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_stitch, out, "Stitch Data", e);
}

enum rc store_stitch_by_akid(struct store *s, const char *akid, struct arena *a,
                             struct stitch_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_stitch_by_akid, &st, e, Q_ARGS(QT(akid)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_stitch, out, "access key", e);
}

enum rc store_stitch_processed_for_wo(struct store *s, const char *work_order_id,
                                      struct arena *a, struct stitch_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_stitch_processed, &st, e, Q_ARGS(QT(work_order_id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_stitch, out, "processed Stitch Data", e);
}

enum rc store_stitch_set_upload_token(struct store *s, const char *id, const unsigned char hash[32],
                                      struct err *e)
{
    return q_exec(s, &q_stitch_set_token, NULL, e, Q_ARGS(QT(id), QB(hash, 32)));
}

enum rc store_stitch_set_job(struct store *s, const char *id, const char *job_id,
                             int64_t enqueued_at, struct err *e)
{
    return q_exec(s, &q_stitch_set_job, NULL, e, Q_ARGS(QT(id), QT(job_id), QI(enqueued_at)));
}

/* ---- objects ---- */

static void read_object(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct object_row *o = row;
    memset(o, 0, sizeof *o);
    o->bucket = q_text(s, st, 0, a);
    o->key = q_text(s, st, 1, a);
    o->size = q_i64(s, st, 2);
    o->etag = q_text(s, st, 3, a);
    o->checksum_alg = q_text(s, st, 4, a);
    o->checksum = q_text(s, st, 5, a);
    o->content_type = q_text(s, st, 6, a);
    o->blob_name = q_text(s, st, 7, a);
    o->created_at = q_i64(s, st, 8);
}

enum rc store_object_put(struct store *s, const struct object_row *o, struct arena *a,
                         const char **old_blob, struct err *e)
{
    enum rc rc = q_one_text(s, &q_object_blob, Q_ARGS(QT(o->bucket), QT(o->key)), a, old_blob, e);
    if (rc != RC_OK)
        return rc;
    return q_exec(s, &q_object_put, NULL, e,
                  Q_ARGS(QT(o->bucket), QT(o->key), QI(o->size), QT(o->etag), QT(o->checksum_alg),
                         QT(o->checksum), QT(o->content_type), QT(o->blob_name),
                         QI(o->created_at)));
}

enum rc store_object_get(struct store *s, const char *bucket, const char *key, struct arena *a,
                         struct object_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_object_get, &st, e, Q_ARGS(QT(bucket), QT(key)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_object, out, "object", e);
}

/* ---- multipart ---- */

static void read_mpu(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct mpu_row *m = row;
    memset(m, 0, sizeof *m);
    m->upload_id = q_text(s, st, 0, a);
    m->bucket = q_text(s, st, 1, a);
    m->key = q_text(s, st, 2, a);
    m->access_key_id = q_text(s, st, 3, a);
    m->checksum_alg = q_text(s, st, 4, a);
    m->content_type = q_text(s, st, 5, a);
    m->state = q_text(s, st, 6, a);
    m->completed_etag = q_text(s, st, 7, a);
    m->completed_parts = q_text(s, st, 8, a);
    m->expires_at = q_i64(s, st, 9);
    m->created_at = q_i64(s, st, 10);
}

static void read_part(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    struct part_row *p = row;
    memset(p, 0, sizeof *p);
    p->part_number = (int)q_i64(s, st, 0);
    p->size = q_i64(s, st, 1);
    p->etag = q_text(s, st, 2, a);
    p->checksum = q_text(s, st, 3, a);
    p->blob_name = q_text(s, st, 4, a);
    p->created_at = q_i64(s, st, 5);
}

enum rc store_mpu_create(struct store *s, const struct mpu_row *m, struct err *e)
{
    return q_exec(s, &q_mpu_insert, NULL, e,
                  Q_ARGS(QT(m->upload_id), QT(m->bucket), QT(m->key), QT(m->access_key_id),
                         QT(m->checksum_alg), QT(m->content_type), QI(m->expires_at),
                         QI(m->created_at)));
}

enum rc store_mpu_get(struct store *s, const char *upload_id, struct arena *a,
                      struct mpu_row *out, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_mpu_get, &st, e, Q_ARGS(QT(upload_id)));
    return rc != RC_OK ? rc : q_one(s, st, a, read_mpu, out, "upload", e);
}

enum rc store_mpu_delete(struct store *s, const char *upload_id, struct err *e)
{
    return q_exec(s, &q_mpu_delete, NULL, e, Q_ARGS(QT(upload_id)));
}

enum rc store_mpu_mark_completed(struct store *s, const char *upload_id, const char *etag,
                                 const char *parts_signature, struct err *e)
{
    return q_exec(s, &q_mpu_complete, NULL, e,
                  Q_ARGS(QT(upload_id), QT(etag), QT(parts_signature)));
}

enum rc store_mpu_expired(struct store *s, int64_t now, int limit, struct arena *a,
                          struct mpu_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_mpu_expired, &st, e, Q_ARGS(QI(now), QI(limit)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_mpu, (void **)rows, n, e);
}

enum rc store_mpu_open_count(struct store *s, const char *access_key_id, int64_t *n,
                             struct err *e)
{
    return q_one_i64(s, &q_mpu_open_count, Q_ARGS(QT(access_key_id)), n, e);
}

enum rc store_mpu_open_bytes(struct store *s, const char *access_key_id, const char *except_upload,
                             int except_part, int64_t *bytes, struct err *e)
{
    return q_one_i64(s, &q_mpu_open_bytes,
                   Q_ARGS(QT(access_key_id), QT(except_upload ? except_upload : ""),
                          QI(except_part)),
                   bytes, e);
}

enum rc store_part_put(struct store *s, const char *upload_id, const struct part_row *p,
                       struct arena *a, const char **old_blob, struct err *e)
{
    enum rc rc = q_one_text(s, &q_part_blob, Q_ARGS(QT(upload_id), QI(p->part_number)), a,
                          old_blob, e);
    if (rc != RC_OK)
        return rc;
    return q_exec(s, &q_part_put, NULL, e,
                  Q_ARGS(QT(upload_id), QI(p->part_number), QI(p->size), QT(p->etag),
                         QT(p->checksum), QT(p->blob_name), QI(p->created_at)));
}

enum rc store_part_list(struct store *s, const char *upload_id, struct arena *a,
                        struct part_row **rows, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_part_list, &st, e, Q_ARGS(QT(upload_id)));
    return rc != RC_OK ? rc : q_collect(s, st, a, sizeof **rows, read_part, (void **)rows, n, e);
}

/* ---- an iGUIDE's uploads, when it is deleted ---- */

static const struct query q_purge_object_blobs = {
    "SELECT o.blob_name FROM objects o JOIN stitch_data sd "
    "ON o.bucket = sd.bucket AND o.object_key = sd.object_key WHERE sd.iguide_id = ?1 "
    "UNION ALL SELECT p.blob_name FROM multipart_parts p "
    "JOIN multipart_uploads m ON m.upload_id = p.upload_id "
    "JOIN stitch_data sd ON sd.access_key_id = m.access_key_id WHERE sd.iguide_id = ?1",
    NULL};
static const struct query q_purge_objects = {
    "DELETE FROM objects WHERE EXISTS (SELECT 1 FROM stitch_data sd WHERE sd.iguide_id = ?1 "
    "AND sd.bucket = objects.bucket AND sd.object_key = objects.object_key)",
    NULL};
static const struct query q_purge_mpus = {
    "DELETE FROM multipart_uploads WHERE access_key_id IN "
    "(SELECT access_key_id FROM stitch_data WHERE iguide_id = ?1)",
    NULL};

static void read_blob_name(struct store *s, struct db_stmt *st, struct arena *a, void *row)
{
    *(const char **)row = q_text(s, st, 0, a);
}

enum rc store_iguide_uploads_purge(struct store *s, const char *iguide_id, struct arena *a,
                                   const char ***blobs, size_t *n, struct err *e)
{
    struct db_stmt *st;
    enum rc rc = q_start(s, &q_purge_object_blobs, &st, e, Q_ARGS(QT(iguide_id)));
    if (rc == RC_OK)
        rc = q_collect(s, st, a, sizeof **blobs, read_blob_name, (void **)blobs, n, e);
    if (rc == RC_OK)
        rc = q_exec(s, &q_purge_objects, NULL, e, Q_ARGS(QT(iguide_id)));
    if (rc == RC_OK)
        rc = q_exec(s, &q_purge_mpus, NULL, e, Q_ARGS(QT(iguide_id)));
    return rc;
}
