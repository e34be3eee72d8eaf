/* sigv4_parse.c — SigV4 for S3, server side (../spec/s3-compat.md §4): parsing of the
 * Authorization header and of presigned query parameters into a struct s3_auth, with the exact
 * S3 error for each way they can be wrong. */
#include "s3/sigv4.h"
#include "s3/sigv4_int.h"

#include <stdio.h>
#include <string.h>

#include "core/crypto.h"

/* --- parsing --- */

/* AKID/yyyymmdd/region/s3/aws4_request (§4.1). code is the header or query form of "malformed". */
static enum s3_sig_code parse_credential(const char *s, size_t n, struct s3_auth *a,
                                         enum s3_sig_code code, struct s3_sig_err *err)
{
    const char *part[5];
    size_t len[5];
    int k = 0;
    const char *p = s, *e = s + n;
    for (;;) {
        const char *slash = memchr(p, '/', (size_t)(e - p));
        if (k == 5) {
            k = 6; /* a sixth part: malformed */
            break;
        }
        part[k] = p;
        len[k] = slash ? (size_t)(slash - p) : (size_t)(e - p);
        k++;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (k != 5)
        return sig_fail(
            err, code,
            "The authorization header is malformed; the Credential is mal-formed; expecting "
            "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
    if (len[0] == 0 || len[0] > S3_SIG_AKID_MAX)
        return sig_fail(err, code, "The access key id in the Credential is empty or too long.");
    for (size_t i = 0; i < len[0]; i++)
        if ((unsigned char)part[0][i] <= ' ' || (unsigned char)part[0][i] >= 0x7f)
            return sig_fail(err, code,
                            "The access key id in the Credential has invalid characters.");
    if (sig_parse_date8(part[1], len[1]))
        return sig_fail(err, code, "The Credential date \"%.*s\" is not a valid yyyymmdd date.",
                        (int)(len[1] > 16 ? 16 : len[1]), part[1]);
    if (len[2] == 0 || len[2] > S3_SIG_REGION_MAX)
        return sig_fail(err, code, "The region in the Credential is empty or too long.");
    for (size_t i = 0; i < len[2]; i++) {
        unsigned char c = (unsigned char)part[2][i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return sig_fail(err, code, "The region in the Credential has invalid characters.");
    }
    if (!sig_eq(part[3], len[3], "s3"))
        return sig_fail(
            err, code,
            "The authorization header is malformed; incorrect service \"%.*s\". This endpoint "
            "belongs to \"s3\".",
            (int)(len[3] > 32 ? 32 : len[3]), part[3]);
    if (!sig_eq(part[4], len[4], "aws4_request"))
        return sig_fail(
            err, code,
            "The authorization header is malformed; incorrect terminal \"%.*s\". This endpoint "
            "uses \"aws4_request\".",
            (int)(len[4] > 32 ? 32 : len[4]), part[4]);
    memcpy(a->akid, part[0], len[0]);
    a->akid[len[0]] = '\0';
    memcpy(a->date, part[1], 8);
    a->date[8] = '\0';
    memcpy(a->region, part[2], len[2]);
    a->region[len[2]] = '\0';
    return S3_SIG_OK;
}

static enum s3_sig_code parse_signed_headers(const char *s, size_t n, struct s3_auth *a,
                                             enum s3_sig_code code, struct s3_sig_err *err)
{
    if (n == 0)
        return sig_fail(err, code, "SignedHeaders is empty.");
    if (n > S3_SIG_SIGNED_HEADERS_MAX)
        return sig_fail(err, S3_SIG_ERR_LIMIT, "SignedHeaders is longer than %d bytes.",
                        S3_SIG_SIGNED_HEADERS_MAX);
    int count = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ';') {
            if (i == 0 || i + 1 == n || s[i - 1] == ';')
                return sig_fail(err, code, "SignedHeaders has an empty header name.");
            count++;
        } else if (!sig_is_lc_tchar(c)) {
            return sig_fail(err, code,
                            "SignedHeaders must be lower-case header names separated by ';'.");
        }
    }
    if (count > S3_SIG_SIGNED_HEADERS_COUNT)
        return sig_fail(err, S3_SIG_ERR_LIMIT, "More than %d signed headers.",
                        S3_SIG_SIGNED_HEADERS_COUNT);
    memcpy(a->signed_headers, s, n);
    a->signed_headers[n] = '\0';
    return S3_SIG_OK;
}

static enum s3_sig_code parse_payload(const char *v, struct s3_auth *a, struct s3_sig_err *err)
{
    size_t n = strlen(v);
    sig_trim(&v, &n);
    for (int m = S3_PAYLOAD_UNSIGNED; m <= S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER; m++)
        if (sig_eq(v, n, s3_payload_mode_name((enum s3_payload_mode)m))) {
            a->payload = (enum s3_payload_mode)m;
            memcpy(a->payload_hash, v, n);
            a->payload_hash[n] = '\0';
            return S3_SIG_OK;
        }
    if (sig_hex32(v, n, a->payload_sha256) == 0) {
        a->payload = S3_PAYLOAD_HASH;
        memcpy(a->payload_hash, v, n);
        a->payload_hash[n] = '\0';
        return S3_SIG_OK;
    }
    return sig_fail(
        err, S3_SIG_ERR_BAD_SHA256,
        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], or a valid sha256 value.");
}

static enum s3_sig_code set_token(struct s3_auth *a, const char *v, size_t n,
                                  struct s3_sig_err *err)
{
    if (n > S3_SIG_TOKEN_MAX)
        return sig_fail(err, S3_SIG_ERR_TOKEN_MALFORMED,
                        "The provided token is malformed or otherwise invalid.");
    /* A decoded query token could hold a NUL or controls: no real token does, and refusing them
     * keeps token a plain C string for the caller. */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return sig_fail(err, S3_SIG_ERR_TOKEN_MALFORMED,
                            "The provided token is malformed or otherwise invalid.");
    memcpy(a->token, v, n);
    a->token[n] = '\0';
    a->token_len = n;
    a->has_token = 1;
    return S3_SIG_OK;
}

/* Rules on which headers must be signed or present, common to both kinds (§4.1, §4.3). */
static enum s3_sig_code check_signed_headers(const struct s3_sig_req *req, const struct s3_auth *a,
                                             enum s3_sig_code malformed, int token_from_header,
                                             struct s3_sig_err *err)
{
    if (!sig_is_signed(a, "host", 4))
        return sig_fail(err, malformed,
                        "The host header must be signed (it is not in SignedHeaders).");
    if (token_from_header && !sig_is_signed(a, "x-amz-security-token", 20))
        return sig_fail(err, S3_SIG_ERR_UNSIGNED_HEADER,
                        "There were headers present in the request which were not signed: "
                        "x-amz-security-token");
    if (req->flags & S3_SIG_F_STRICT_AMZ)
        for (size_t i = 0; i < req->n_headers; i++) {
            const char *hn = req->headers[i].name;
            size_t hl = hn ? strlen(hn) : 0;
            if (hl >= 6 && sig_ieq(hn, 6, "x-amz-", 6) && !sig_is_signed(a, hn, hl))
                return sig_fail(
                    err, S3_SIG_ERR_UNSIGNED_HEADER,
                    "There were headers present in the request which were not signed: %.64s", hn);
        }
    const char *p = a->signed_headers;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!sig_count_header(req, p, len))
            return sig_fail(err, S3_SIG_ERR_SIGNED_HEADER_MISSING,
                            "The header \"%.*s\" is in SignedHeaders but not in the request.",
                            (int)(len > 64 ? 64 : len), p);
        if (!e)
            break;
        p = e + 1;
    }
    return S3_SIG_OK;
}

static enum s3_sig_code parse_header_auth(const struct s3_sig_req *req, const char *value,
                                          struct s3_auth *a, struct s3_sig_err *err)
{
    const enum s3_sig_code M = S3_SIG_ERR_HEADER_MALFORMED;
    enum s3_sig_code rc;
    size_t n = strlen(value);
    sig_trim(&value, &n);
    size_t al = strlen(ALGO);
    if (n < al || memcmp(value, ALGO, al) != 0 || (n > al && !sig_is_ows(value[al])))
        return sig_fail(err, S3_SIG_ERR_UNSUPPORTED,
                        "The authorization mechanism you have provided is not supported. Please "
                        "use AWS4-HMAC-SHA256.");
    a->kind = S3_AUTH_HEADER;

    /* Credential=…, SignedHeaders=…, Signature=… in any order, blanks allowed after commas. */
    const char *p = value + al, *end = value + n;
    const char *cred = NULL, *sh = NULL, *sig = NULL;
    size_t cn = 0, shn = 0, sgn = 0;
    while (p < end) {
        while (p < end && sig_is_ows(*p))
            p++;
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *ce = comma ? comma : end;
        const char *eqs = memchr(p, '=', (size_t)(ce - p));
        if (!eqs)
            return sig_fail(err, M,
                            "The authorization header is malformed; \"%.*s\" is not name=value.",
                            (int)((size_t)(ce - p) > 40 ? 40 : (size_t)(ce - p)), p);
        const char *v = eqs + 1;
        size_t vn = (size_t)(ce - v);
        sig_trim(&v, &vn);
        size_t kn = (size_t)(eqs - p);
        const char **slot;
        size_t *slen;
        if (sig_eq(p, kn, "Credential"))
            slot = &cred, slen = &cn;
        else if (sig_eq(p, kn, "SignedHeaders"))
            slot = &sh, slen = &shn;
        else if (sig_eq(p, kn, "Signature"))
            slot = &sig, slen = &sgn;
        else
            return sig_fail(err, M,
                            "The authorization header is malformed; unknown component \"%.*s\".",
                            (int)(kn > 32 ? 32 : kn), p);
        if (*slot)
            return sig_fail(err, M,
                            "The authorization header is malformed; \"%.*s\" appears twice.",
                            (int)kn, p);
        *slot = v;
        *slen = vn;
        if (!comma)
            break;
        p = comma + 1;
        if (p == end)
            return sig_fail(err, M, "The authorization header is malformed; it ends with a comma.");
    }
    if (!cred)
        return sig_fail(err, M, "The authorization header is malformed; missing Credential.");
    if (!sh)
        return sig_fail(err, M, "The authorization header is malformed; missing SignedHeaders.");
    if (!sig)
        return sig_fail(err, M, "The authorization header is malformed; missing Signature.");
    if ((rc = parse_credential(cred, cn, a, M, err)) ||
        (rc = parse_signed_headers(sh, shn, a, M, err)))
        return rc;
    if (sig_hex32(sig, sgn, a->signature))
        return sig_fail(err, M,
                        "The authorization header is malformed; Signature must be 64 hex digits.");

    /* Time: X-Amz-Date, else Date (§4.2). */
    const char *xd = sig_get_header(req, "x-amz-date");
    size_t nxd = sig_count_header(req, "x-amz-date", 10);
    if (xd) {
        size_t l = strlen(xd);
        sig_trim(&xd, &l);
        if (nxd > 1 || sig_parse_amz_date(xd, l, &a->time_ms))
            return sig_fail(err, S3_SIG_ERR_MISSING_DATE,
                            "AWS authentication requires a valid Date or x-amz-date header");
        memcpy(a->amz_date, xd, 16);
        a->amz_date[16] = '\0';
    } else {
        const char *d = sig_get_header(req, "date");
        size_t l = d ? strlen(d) : 0;
        if (d)
            sig_trim(&d, &l);
        if (!d || sig_count_header(req, "date", 4) > 1 ||
            sig_parse_http_date(d, l, &a->time_ms, a->amz_date))
            return sig_fail(err, S3_SIG_ERR_MISSING_DATE,
                            "AWS authentication requires a valid Date or x-amz-date header");
    }
    if (memcmp(a->date, a->amz_date, 8) != 0)
        return sig_fail(err, M,
                        "The authorization header is malformed; Invalid credential date \"%s\". "
                        "Date is not the same as X-Amz-Date: \"%.8s\".",
                        a->date, a->amz_date);
    if (req->region && strcmp(req->region, a->region) != 0)
        return sig_fail(
            err, M,
            "The authorization header is malformed; the region '%s' is wrong; expecting '%.64s'",
            a->region, req->region);

    const char *ps = sig_get_header(req, "x-amz-content-sha256");
    if (!ps)
        return sig_fail(err, S3_SIG_ERR_MISSING_SHA256,
                        "Missing required header for this request: x-amz-content-sha256");
    if (sig_count_header(req, "x-amz-content-sha256", 20) > 1)
        return sig_fail(err, S3_SIG_ERR_BAD_SHA256, "x-amz-content-sha256 appears more than once.");
    if ((rc = parse_payload(ps, a, err)))
        return rc;

    const char *tok = sig_get_header(req, "x-amz-security-token");
    if (tok) {
        if (sig_count_header(req, "x-amz-security-token", 20) > 1)
            return sig_fail(err, S3_SIG_ERR_TOKEN_MALFORMED,
                            "The provided token is malformed or otherwise invalid.");
        size_t tl = strlen(tok);
        sig_trim(&tok, &tl);
        if ((rc = set_token(a, tok, tl, err)))
            return rc;
    }
    if ((rc = check_signed_headers(req, a, M, tok != NULL, err)))
        return rc;

    int64_t skew = req->now_ms - a->time_ms;
    if (skew > S3_SIG_SKEW_MS || skew < -S3_SIG_SKEW_MS)
        return sig_fail(err, S3_SIG_ERR_SKEWED,
                        "The difference between the request time and the current time is too "
                        "large.");
    return S3_SIG_OK;
}

/* The presigned parameters we look for, by decoded name. */
enum {
    QP_ALGORITHM,
    QP_CREDENTIAL,
    QP_DATE,
    QP_EXPIRES,
    QP_SIGNED_HEADERS,
    QP_SIGNATURE,
    QP_TOKEN,
    QP__N
};
static const char *const qp_names[QP__N] = {
    "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Date",           "X-Amz-Expires",
    "X-Amz-SignedHeaders", "X-Amz-Signature",  "X-Amz-Security-Token",
};

static int qp_index(const struct qparam *q)
{
    char k[32];
    if (sig_pct_decode(q->k, q->kn, k, sizeof k) < 0)
        return -1;
    for (int i = 0; i < QP__N; i++)
        if (strcmp(k, qp_names[i]) == 0)
            return i;
    return -1;
}

static enum s3_sig_code parse_query_auth(const struct s3_sig_req *req, const struct qparam *qp,
                                         int nq, struct s3_auth *a, struct s3_sig_err *err)
{
    const enum s3_sig_code M = S3_SIG_ERR_QUERY_MALFORMED;
    const struct qparam *f[QP__N] = {0};
    enum s3_sig_code rc;
    char buf[S3_SIG_TOKEN_MAX + 1];
    long n;
    a->kind = S3_AUTH_PRESIGNED;
    for (int i = 0; i < nq; i++) {
        int k = qp_index(&qp[i]);
        if (k < 0)
            continue;
        if (f[k])
            return sig_fail(err, M, "The query parameter %s appears more than once.", qp_names[k]);
        f[k] = &qp[i];
    }
    for (int k = 0; k < QP__N; k++)
        if (!f[k] && k != QP_TOKEN)
            return sig_fail(err, M,
                            "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                            "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, "
                            "and X-Amz-Expires "
                            "parameters.");

    n = sig_pct_decode(f[QP_ALGORITHM]->v, f[QP_ALGORITHM]->vn, buf, sizeof buf);
    if (n < 0 || strcmp(buf, ALGO) != 0)
        return sig_fail(err, M, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    n = sig_pct_decode(f[QP_CREDENTIAL]->v, f[QP_CREDENTIAL]->vn, buf, sizeof buf);
    if (n < 0)
        return sig_fail(err, M, "X-Amz-Credential is too long.");
    if ((rc = parse_credential(buf, (size_t)n, a, M, err)))
        return rc;
    n = sig_pct_decode(f[QP_DATE]->v, f[QP_DATE]->vn, buf, sizeof buf);
    if (n < 0 || sig_parse_amz_date(buf, (size_t)n, &a->time_ms))
        return sig_fail(err, M,
                        "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    memcpy(a->amz_date, buf, 17);
    n = sig_pct_decode(f[QP_EXPIRES]->v, f[QP_EXPIRES]->vn, buf, sizeof buf);
    if (n <= 0 || n > 7)
        return sig_fail(err, M, "X-Amz-Expires should be a number between 0 and %d.",
                        S3_SIG_MAX_EXPIRES);
    int64_t ex = 0;
    for (long i = 0; i < n; i++) {
        if (buf[i] < '0' || buf[i] > '9')
            return sig_fail(err, M, "X-Amz-Expires should be a number between 0 and %d.",
                            S3_SIG_MAX_EXPIRES);
        ex = ex * 10 + (buf[i] - '0');
    }
    if (ex > S3_SIG_MAX_EXPIRES)
        return sig_fail(err, M,
                        "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    a->expires_s = ex;
    n = sig_pct_decode(f[QP_SIGNED_HEADERS]->v, f[QP_SIGNED_HEADERS]->vn, buf, sizeof buf);
    if (n < 0)
        return sig_fail(err, S3_SIG_ERR_LIMIT, "X-Amz-SignedHeaders is too long.");
    if ((rc = parse_signed_headers(buf, (size_t)n, a, M, err)))
        return rc;
    n = sig_pct_decode(f[QP_SIGNATURE]->v, f[QP_SIGNATURE]->vn, buf, sizeof buf);
    if (n < 0 || sig_hex32(buf, (size_t)n, a->signature))
        return sig_fail(err, M, "X-Amz-Signature must be 64 hex digits.");
    if (memcmp(a->date, a->amz_date, 8) != 0)
        return sig_fail(
            err, M, "Invalid credential date \"%s\". Date is not the same as X-Amz-Date: \"%.8s\".",
            a->date, a->amz_date);
    if (req->region && strcmp(req->region, a->region) != 0)
        return sig_fail(
            err, M,
            "Error parsing the X-Amz-Credential parameter; the region '%s' is wrong; expecting "
            "'%.64s'",
            a->region, req->region);

    /* The payload hash is UNSIGNED-PAYLOAD unless the client sent x-amz-content-sha256 (§4.11). */
    const char *ps = sig_get_header(req, "x-amz-content-sha256");
    if (ps && sig_count_header(req, "x-amz-content-sha256", 20) > 1)
        return sig_fail(err, S3_SIG_ERR_BAD_SHA256, "x-amz-content-sha256 appears more than once.");
    if ((rc = parse_payload(ps ? ps : "UNSIGNED-PAYLOAD", a, err)))
        return rc;

    int token_from_header = 0;
    if (f[QP_TOKEN]) {
        n = sig_pct_decode(f[QP_TOKEN]->v, f[QP_TOKEN]->vn, buf, sizeof buf);
        if (n < 0)
            return sig_fail(err, S3_SIG_ERR_TOKEN_MALFORMED,
                            "The provided token is malformed or otherwise invalid.");
        if ((rc = set_token(a, buf, (size_t)n, err)))
            return rc;
    } else {
        const char *tok = sig_get_header(req, "x-amz-security-token");
        if (tok) {
            size_t tl = strlen(tok);
            sig_trim(&tok, &tl);
            if ((rc = set_token(a, tok, tl, err)))
                return rc;
            token_from_header = 1;
        }
    }
    if ((rc = check_signed_headers(req, a, M, token_from_header, err)))
        return rc;

    if (a->time_ms - req->now_ms > S3_SIG_SKEW_MS)
        return sig_fail(err, S3_SIG_ERR_NOT_YET_VALID, "Request is not valid yet");
    if (req->now_ms - a->time_ms > a->expires_s * 1000)
        return sig_fail(err, S3_SIG_ERR_EXPIRED, "Request has expired");
    return S3_SIG_OK;
}

enum s3_sig_code s3_sig_parse(const struct s3_sig_req *req, struct s3_auth *auth,
                              struct s3_sig_err *err)
{
    struct qparam qp[S3_SIG_QUERY_PARAMS_MAX];
    memset(auth, 0, sizeof *auth);
    if (err)
        err->code = S3_SIG_OK, err->msg[0] = '\0';
    int nq = sig_split_query(req->query, qp, S3_SIG_QUERY_PARAMS_MAX);
    if (nq < 0)
        return sig_fail(err, S3_SIG_ERR_LIMIT, "More than %d query parameters.",
                        S3_SIG_QUERY_PARAMS_MAX);

    int v4q = 0, v2q = 0;
    for (int i = 0; i < nq; i++) {
        int k = qp_index(&qp[i]);
        if (k == QP_ALGORITHM || k == QP_CREDENTIAL || k == QP_SIGNATURE)
            v4q = 1;
        if (sig_eq(qp[i].k, qp[i].kn, "AWSAccessKeyId") || sig_eq(qp[i].k, qp[i].kn, "Signature"))
            v2q = 1;
    }
    size_t nauth = sig_count_header(req, "authorization", 13);
    if (nauth && (v4q || v2q))
        return sig_fail(err, S3_SIG_ERR_MULTIPLE_AUTH,
                        "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                        "parameter, Signature query "
                        "string parameter or the Authorization header should be specified");
    if (nauth > 1)
        return sig_fail(err, S3_SIG_ERR_HEADER_MALFORMED,
                        "The authorization header is malformed; it appears twice.");
    if (nauth)
        return parse_header_auth(req, sig_get_header(req, "authorization"), auth, err);
    if (v4q)
        return parse_query_auth(req, qp, nq, auth, err);
    if (v2q)
        return sig_fail(err, S3_SIG_ERR_UNSUPPORTED,
                        "The authorization mechanism you have provided is not supported. Please "
                        "use AWS4-HMAC-SHA256 "
                        "(signature_version s3v4 when presigning).");
    return sig_fail(err, S3_SIG_ERR_ANONYMOUS, "Access Denied");
}
