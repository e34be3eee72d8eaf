/* stitchdata.c — Stitch Data uploads ("Your first iGUIDE", Steps 4 and 6; the S3 upload
 * pattern): a permit with temporary S3 credentials for exactly one bucket and key, then the
 * process call that checks the upload and enqueues processing in the same transaction. */
#include "api/api_int.h"

#include "core/base64.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "jobs/jobs.h"
#include "json/jsonx.h"
#include "pipeline/operator.h"
#include "pipeline/wo_status.h"
#include "s3/creds.h"
#include "s3/s3_api.h"

#include <stdio.h>
#include <string.h>

#define FILENAME_MAX_LEN 255

static int filename_ok(const char *s)
{
    if (!*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
            return 0;
    return 1;
}

/* A work order takes Stitch Data when it is the initial one and empty, or rejected (re-upload). */
static int accepts_upload(const struct workorder_row *w)
{
    return w->is_initial && (strcmp(w->status, wo_status_name(WO_EMPTY)) == 0 ||
                             strcmp(w->status, wo_status_name(WO_REJECTED)) == 0);
}

/* The upload token is JWT-shaped like the platform's ("eyJhbGciOiJIUzI1NiIs..."), with a random
 * last part; only its hash is stored. */
static const char *mint_upload_token(struct arena *a, const char *sdid, unsigned char hash[32])
{
    unsigned char secret[32];
    if (crypto_random(secret, sizeof secret))
        return NULL;
    static const char hdr[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char payload[96], h64[64], p64[140], s64[48];
    int n = snprintf(payload, sizeof payload, "{\"sub\":\"%s\",\"use\":\"stitch-data\"}", sdid);
    if (n < 0 || (size_t)n >= sizeof payload ||
        b64_encode(hdr, strlen(hdr), B64_URL | B64_NOPAD, h64, sizeof h64) < 0 ||
        b64_encode(payload, (size_t)n, B64_URL | B64_NOPAD, p64, sizeof p64) < 0 ||
        b64_encode(secret, sizeof secret, B64_URL | B64_NOPAD, s64, sizeof s64) < 0)
        return NULL;
    char *t = arena_printf(a, "%s.%s.%s", h64, p64, s64);
    if (t)
        crypto_sha256(t, strlen(t), hash);
    return t;
}

struct resp *h_stitch_permit(struct api_call *c)
{
    static const char *const keys[] = {"filename", "filesize", NULL};
    struct err e = {0};
    const char *filename = NULL;
    int64_t filesize = 0;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "filename", 1, FILENAME_MAX_LEN, &filename, &e) != RC_OK ||
        jsonx_int(c->body, "", "filesize", 1, 1, c->cfg->max_filesize, &filesize, &e) != RC_OK)
        return reply_err(c->r, &e);
    if (!filename_ok(filename))
        return reply_error(c->r, RC_INVALID,
                           "filename must be a plain file name (no '/', '\\\\' or control characters)");
    const char *gid = api_param(c, "iguideId"), *wid = api_param(c, "workOrderId");
    if (!id_valid(ID_IGUIDE, gid) || !id_valid(ID_WORKORDER, wid))
        return reply_error(c->r, RC_NOTFOUND, "work order not found");
    struct arena *a = c->r->arena;
    struct workorder_row w;
    struct s3_creds cr;
    struct stitch_row row = {0};
    int64_t now = clock_now_ms();
    if (store_begin(c->s, 1, &e) != RC_OK ||
        store_workorder_get(c->s, gid, wid, a, &w, &e) != RC_OK)
        goto fail;
    if (!accepts_upload(&w)) {
        err_set(&e, RC_PRECONDITION,
                "work order %s does not accept Stitch Data: it is %s (only the initial work order, "
                "while empty or rejected, does)",
                w.id, w.status);
        goto fail;
    }
    if (s3_creds_mint(c->s, a, &cr, &e) != RC_OK)
        goto fail;
    memcpy(row.iguide_id, gid, strlen(gid) + 1);
    memcpy(row.work_order_id, wid, strlen(wid) + 1);
    row.filename = filename;
    row.filesize = filesize;
    row.bucket = c->cfg->s3->bucket;
    row.object_key = "stitch-data/{id}/original.tar";
    memcpy(row.access_key_id, cr.access_key_id, sizeof cr.access_key_id);
    memcpy(row.session_hash, cr.session_hash, 32);
    row.expires_at = now + S3_CREDS_TTL_MS;
    row.created_at = now;
    /* The upload token names the Stitch Data id, which store_stitch_create draws: mint it after
     * and update the hash in the same transaction. */
    if (store_stitch_create(c->s, &row, a, &e) != RC_OK)
        goto fail;
    const char *upload_token = mint_upload_token(a, row.id, row.upload_token_hash);
    if (!upload_token) {
        err_set(&e, RC_INTERNAL, "random source failed");
        goto fail;
    }
    if (store_stitch_set_upload_token(c->s, row.id, row.upload_token_hash, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        goto fail;
    json_t *permit = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "region",
                               c->cfg->s3->region, "bucket", row.bucket, "key", row.object_key,
                               "accessKeyId", cr.access_key_id, "secretAccessKey", cr.secret,
                               "sessionToken", cr.session_token, "endpoint", c->cfg->s3_endpoint,
                               "expiresAt", jsonx_time(row.expires_at));
    memset(cr.secret, 0, sizeof cr.secret);
    return reply_json(c->r, 200, json_pack("{s:s, s:o, s:s}", "id", row.id, "uploadPermit", permit,
                                           "uploadToken", upload_token));
fail:
    store_rollback(c->s);
    return reply_err(c->r, &e);
}

struct resp *h_stitch_process(struct api_call *c)
{
    struct err e = {0};
    const char *gid = api_param(c, "iguideId"), *wid = api_param(c, "workOrderId"),
               *sid = api_param(c, "stitchDataId");
    const char *token = http_query(c->r, "uploadToken");
    if (!token || !*token)
        return reply_error(c->r, RC_INVALID, "the uploadToken query parameter is required");
    if (!id_valid(ID_STITCHDATA, sid))
        return reply_error(c->r, RC_NOTFOUND, "Stitch Data not found");
    struct arena *a = c->r->arena;
    struct stitch_row row;
    struct workorder_row w;
    struct object_row o;
    int64_t now = clock_now_ms();
    if (store_begin(c->s, 1, &e) != RC_OK || store_stitch_get(c->s, sid, a, &row, &e) != RC_OK)
        goto fail;
    if (strcmp(row.iguide_id, gid) != 0 || strcmp(row.work_order_id, wid) != 0) {
        err_set(&e, RC_NOTFOUND, "Stitch Data not found");
        goto fail;
    }
    unsigned char h[32];
    crypto_sha256(token, strlen(token), h);
    if (!crypto_equal(h, row.upload_token_hash, 32)) {
        err_set(&e, RC_DENIED, "the uploadToken does not belong to this Stitch Data");
        goto fail;
    }
    /* Calling it again answers the job it already enqueued. */
    if (row.job_id[0]) {
        store_rollback(c->s);
        return reply_json(c->r, 200, json_pack("{s:s, s:o}", "jid", row.job_id, "jidEnqueuedAt",
                                               jsonx_time(row.enqueued_at)));
    }
    if (store_workorder_get(c->s, gid, wid, a, &w, &e) != RC_OK)
        goto fail;
    if (!accepts_upload(&w)) {
        err_set(&e, RC_PRECONDITION, "work order %s is %s and cannot start processing", w.id,
                w.status);
        goto fail;
    }
    enum rc rc = store_object_get(c->s, row.bucket, row.object_key, a, &o, &e);
    if (rc == RC_NOTFOUND) {
        err_set(&e, RC_PRECONDITION, "nothing was uploaded to s3://%s/%s yet", row.bucket,
                row.object_key);
        goto fail;
    }
    if (rc != RC_OK)
        goto fail;
    if (o.size != row.filesize) {
        err_set(&e, RC_PRECONDITION,
                "the uploaded object has %lld bytes but the permit declared filesize %lld",
                (long long)o.size, (long long)row.filesize);
        goto fail;
    }
    char jid[ID_MAX];
    int64_t enqueued_at;
    /* The Stitch Data id is the generation: a re-upload after a rejection starts a new chain. */
    if (pipe_enqueue_stage(c->s, "ingest", gid, wid, sid, now, jid, &enqueued_at, &e) != RC_OK ||
        wo_move(c->s, wid, w.status, WO_PENDING_DRAFT, w.rejection_reason, w.exception_reason, now,
                &e) != RC_OK ||
        store_stitch_set_job(c->s, sid, jid, enqueued_at, &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        goto fail;
    jobs_notify();
    return reply_json(c->r, 200,
                      json_pack("{s:s, s:o}", "jid", jid, "jidEnqueuedAt", jsonx_time(enqueued_at)));
fail:
    store_rollback(c->s);
    return reply_err(c->r, &e);
}
