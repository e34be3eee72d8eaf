/* s3_api.c — the S3 endpoint. The order follows ../spec/s3-compat.md §4 and §7: everything that
 * can be decided from the headers (signature, session token, expiry, scope, upload id, sizes) is
 * decided before the body, so a refused client never sends it; the body then streams through the
 * aws-chunked decoder into a temporary blob with its checksums computed on the way, and the object
 * or part is committed only when every check has passed. This file classifies, authenticates and
 * dispatches; s3_body.c, s3_ops.c and s3_reply.c do the rest. */
#include "s3/s3_api.h"
#include "s3/s3_int.h"

#include "core/base64.h"
#include "core/bgfeed.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/markup.h"
#include "s3/checksum.h"
#include "s3/chunked.h"
#include "s3/creds.h"
#include "s3/sigv4.h"
#include "s3/vhost.h"
#include "s3/xml.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const op_names[] = {"PutObject",    "UploadPart",          "CreateMultipartUpload",
                                       "CompleteMultipartUpload", "AbortMultipartUpload",
                                       "ListParts",    "HeadObject",          "HeadBucket",
                                       "Unsupported"};

/* ---- request classification ---- */

static int has_amz_query(const struct req *r)
{
    return http_query_has(r, "X-Amz-Signature") || http_query_has(r, "X-Amz-Credential") ||
           http_query_has(r, "X-Amz-Algorithm") || http_query_has(r, "AWSAccessKeyId");
}

int s3_is_request(const struct req *r, const struct s3_config *cfg)
{
    const char *auth = http_header(r, "Authorization");
    if (auth && (strncmp(auth, "AWS4-", 5) == 0 || strncmp(auth, "AWS ", 4) == 0))
        return 1;
    if (has_amz_query(r))
        return 1;
    char vb[S3_HOST_MAX];
    if (s3_vhost_bucket(http_header(r, "Host"), cfg->hosts, cfg->n_hosts, vb, sizeof vb))
        return strcmp(vb, cfg->bucket) == 0;
    size_t bl = strlen(cfg->bucket);
    const char *p = r->path;
    return p[0] == '/' && strncmp(p + 1, cfg->bucket, bl) == 0 && (p[1 + bl] == '/' || !p[1 + bl]);
}

/* Splits the request into bucket and key (each percent-decoded once): the bucket from the Host
 * header in virtual-hosted style ("/key"), else from the path's first segment ("/bucket/key"). */
static int split_path(struct s3_call *c)
{
    const char *raw = c->r->raw_path;
    if (raw[0] != '/')
        return -1;
    char vb[S3_HOST_MAX];
    if (s3_vhost_bucket(http_header(c->r, "Host"), c->cfg->hosts, c->cfg->n_hosts, vb, sizeof vb)) {
        c->bucket = arena_strdup(c->r->arena, vb);
        c->key = http_pct_decode(c->r->arena, raw + 1, strlen(raw + 1));
    } else {
        const char *slash = strchr(raw + 1, '/');
        size_t bl = slash ? (size_t)(slash - raw - 1) : strlen(raw + 1);
        c->bucket = http_pct_decode(c->r->arena, raw + 1, bl);
        c->key = slash ? http_pct_decode(c->r->arena, slash + 1, strlen(slash + 1)) : "";
    }
    if (!c->bucket || !c->key || strlen(c->key) > 1024)
        return -1;
    return 0;
}

static enum op classify(struct s3_call *c)
{
    const struct req *r = c->r;
    const char *m = r->method;
    int has_key = c->key && *c->key;
    c->upload_id = http_query(r, "uploadId");
    if (strcmp(m, "HEAD") == 0)
        return has_key ? OP_HEAD_OBJECT : OP_HEAD_BUCKET;
    if (!has_key)
        return OP_UNSUPPORTED;
    if (strcmp(m, "PUT") == 0) {
        if (http_header(r, "x-amz-copy-source"))
            return OP_UNSUPPORTED;
        return c->upload_id || http_query_has(r, "partNumber") ? OP_PART : OP_PUT;
    }
    if (strcmp(m, "POST") == 0) {
        if (http_query_has(r, "uploads"))
            return OP_CREATE;
        return c->upload_id ? OP_COMPLETE : OP_UNSUPPORTED;
    }
    if (strcmp(m, "DELETE") == 0 && c->upload_id)
        return OP_ABORT;
    if (strcmp(m, "GET") == 0 && c->upload_id)
        return OP_LIST_PARTS;
    return OP_UNSUPPORTED;
}

/* ---- authentication ---- */

struct hdr_collect {
    struct s3_header *h;
    size_t n;
};

static int collect_header(void *ctx, const char *name, const char *value)
{
    struct hdr_collect *hc = ctx;
    if (hc->n == MAX_HEADERS)
        return 1;
    hc->h[hc->n].name = name;
    hc->h[hc->n].value = value;
    hc->n++;
    return 0;
}

static int signed_header(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        if (len == n && strncasecmp(p, name, n) == 0)
            return 1;
        if (!semi)
            break;
        p = semi + 1;
    }
    return 0;
}

/* Full authentication from the headers: SigV4, key id, session token, expiry, scope. */
static struct resp *authenticate(struct s3_call *c)
{
    struct req *r = c->r;
    struct s3_header *hdrs = arena_alloc(r->arena, MAX_HEADERS * sizeof *hdrs);
    if (!hdrs)
        return s3_reply_error(r, 503, "SlowDown", "out of memory");
    struct hdr_collect hc = {hdrs, 0};
    http_each_header(r, collect_header, &hc);
    const char *query = http_raw_query(r);
    struct s3_sig_req sr = {
        .method = r->method,
        .path = r->raw_path,
        .query = query ? query : "",
        .headers = hdrs,
        .n_headers = hc.n,
        .now_ms = clock_now_ms(),
        .region = c->cfg->region,
    };
    struct s3_sig_err se = {0}, skewed = {0};
    enum s3_sig_code code = s3_sig_parse(&sr, &c->auth, &se);
    /* A request time out of the skew window is reported after the session checks (the parse is
     * complete when it says so): credentials that have expired by the server's clock are
     * ExpiredToken whatever time the client signed with, e.g. with the test clock 25 h ahead. */
    if (code == S3_SIG_ERR_SKEWED) {
        skewed = se;
        code = S3_SIG_OK;
    }
    if (code != S3_SIG_OK)
        return s3_reply_sig(r, code, se.msg);
    struct err e = {0};
    c->s = store_thread(&e);
    if (!c->s)
        return s3_reply_internal(r, &e);
    if (!s3_creds_akid_valid(c->auth.akid))
        return s3_reply_sig(r, S3_SIG_ERR_INVALID_AKID,
                            "The AWS Access Key Id you provided does not exist in our records.");
    enum rc rc = store_stitch_by_akid(c->s, c->auth.akid, r->arena, &c->permit, &e);
    if (rc == RC_NOTFOUND)
        return s3_reply_sig(r, S3_SIG_ERR_INVALID_AKID,
                            "The AWS Access Key Id you provided does not exist in our records.");
    if (rc != RC_OK)
        return s3_reply_internal(r, &e);
    r->log_principal = c->permit.access_key_id;
    /* Temporary credentials: the session token must come with the request, be covered by the
     * signature, and be this session's. */
    unsigned char h[32];
    crypto_sha256(c->auth.token, c->auth.token_len, h);
    if (!c->auth.has_token ||
        (c->auth.kind == S3_AUTH_HEADER && !signed_header(c->auth.signed_headers, "x-amz-security-token")) ||
        !crypto_equal(h, c->permit.session_hash, 32))
        return s3_reply_sig(r, S3_SIG_ERR_INVALID_TOKEN,
                            "The provided token is malformed or otherwise invalid.");
    if (clock_now_ms() >= c->permit.expires_at)
        return s3_reply_sig(r, S3_SIG_ERR_EXPIRED_TOKEN, "The provided token has expired.");
    if (skewed.code == S3_SIG_ERR_SKEWED)
        return s3_reply_sig(r, skewed.code, skewed.msg);
    char secret[S3_SECRET_LEN + 1];
    if ((rc = s3_creds_secret(c->s, c->auth.akid, secret, &e)) != RC_OK)
        return s3_reply_internal(r, &e);
    code = s3_sig_verify(&sr, &c->auth, secret, &c->ctx, &se);
    memset(secret, 0, sizeof secret);
    if (code != S3_SIG_OK)
        return s3_reply_sig(r, code, se.msg);
    /* The credentials allow exactly one bucket and key. */
    if (strcmp(c->bucket, c->permit.bucket) != 0 ||
        (c->op != OP_HEAD_BUCKET && strcmp(c->key, c->permit.object_key) != 0))
        return s3_reply_sig(r, S3_SIG_ERR_ACCESS_DENIED, "Access Denied");
    /* Once /process has taken the object, it is what the pipeline reads: no more writes (a
     * Complete is checked again where it would commit, so its retry can still succeed). */
    if (c->permit.job_id[0] && (c->op == OP_PUT || c->op == OP_PART || c->op == OP_CREATE))
        return s3_reply_error(r, 403, "AccessDenied", SUBMITTED_MSG);
    return NULL;
}

/* ---- header phase ---- */

void s3_on_headers(struct req *r, struct s3_config *cfg, void **state)
{
    struct s3_call *c = arena_alloc(r->arena, sizeof *c);
    if (!c) {
        r->early = s3_reply_error(r, 503, "SlowDown", "out of memory");
        return;
    }
    *state = c;
    r->app_state_s3 = c;
    c->cfg = cfg;
    c->r = r;
    buf_init(&c->xml, 0);
    if (arena_defer(r->arena, s3_body_cleanup, c)) {
        r->early = s3_reply_error(r, 503, "SlowDown", "out of memory");
        return;
    }
    if (split_path(c)) {
        r->early = s3_reply_error(r, 400, "InvalidURI", "Couldn't parse the specified URI.");
        return;
    }
    c->op = classify(c);
    if ((r->early = authenticate(c)))
        return;
    if (c->op == OP_UNSUPPORTED) {
        r->early =
            s3_reply_error(r, 501, "NotImplemented",
                           "A header or operation you provided implies functionality that is not "
                           "implemented.");
        return;
    }
    struct err e = {0};
    if (c->op == OP_PART || c->op == OP_COMPLETE || c->op == OP_ABORT || c->op == OP_LIST_PARTS) {
        struct mpu_row m;
        enum rc rc = c->upload_id ? store_mpu_get(c->s, c->upload_id, r->arena, &m, &e) : RC_NOTFOUND;
        if (rc == RC_OK && (strcmp(m.access_key_id, c->permit.access_key_id) != 0 ||
                            strcmp(m.key, c->key) != 0 ||
                            (strcmp(m.state, "open") != 0 && c->op != OP_COMPLETE)))
            rc = RC_NOTFOUND;
        if (rc == RC_NOTFOUND) {
            r->early =
                s3_reply_error(r, 404, "NoSuchUpload",
                               "The specified upload does not exist. The upload ID may be invalid, "
                               "or the upload may have been aborted or completed.");
            return;
        }
        if (rc != RC_OK) {
            r->early = s3_reply_internal(r, &e);
            return;
        }
    }
    if (c->op == OP_PART) {
        const char *pn = http_query(r, "partNumber");
        char *end;
        long v = pn ? strtol(pn, &end, 10) : 0;
        if (!pn || !*pn || *end || v < 1 || v > 10000) {
            r->early =
                s3_reply_error(r, 400, "InvalidArgument",
                               "Part number must be an integer between 1 and 10000, inclusive");
            return;
        }
        c->part_number = (int)v;
    }
    if (c->op == OP_PUT || c->op == OP_PART || c->op == OP_COMPLETE)
        r->early = s3_body_setup(c);
}

struct resp *s3_on_request(struct req *r, void *state)
{
    struct s3_call *c = state;
    log_debug("rid=%s s3 %s %s/%s", r->request_id, op_names[c->op], c->bucket, c->key);
    switch (c->op) {
    case OP_PUT:
        return s3_do_put(c);
    case OP_PART:
        return s3_do_part(c);
    case OP_CREATE:
        return s3_do_create(c);
    case OP_COMPLETE:
        return s3_do_complete(c);
    case OP_ABORT:
        return s3_do_abort(c);
    case OP_LIST_PARTS:
        return s3_do_list_parts(c);
    case OP_HEAD_OBJECT:
        return s3_do_head_object(c);
    case OP_HEAD_BUCKET:
        return s3_reply_empty(r, 200);
    case OP_UNSUPPORTED:
        break;
    }
    return s3_reply_error(r, 501, "NotImplemented", "not implemented");
}

int s3_reap_expired(struct s3_config *cfg, int64_t now)
{
    struct err e = {0};
    struct store *s = store_thread(&e);
    struct arena *a = arena_new();
    int count = 0;
    struct mpu_row *rows;
    size_t n;
    if (s && a && store_mpu_expired(s, now, 100, a, &rows, &n, &e) == RC_OK) {
        for (size_t i = 0; i < n; i++) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "mpu/%s", rows[i].upload_id);
            if (store_mpu_delete(s, rows[i].upload_id, &e) == RC_OK) {
                blob_delete_prefix(cfg->blobs, prefix, NULL);
                count++;
            }
        }
    }
    arena_free(a);
    return count;
}
