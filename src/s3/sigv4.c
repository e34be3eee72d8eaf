/* sigv4.c — SigV4 for S3, server side (../spec/s3-compat.md §4): the canonical request hashed as
 * it is produced (no buffer that grows with the request), signing keys, verification and
 * streaming signatures; the helpers both halves use. Parsing the Authorization header and
 * presigned query parameters is sigv4_parse.c. */
#include "s3/sigv4.h"
#include "s3/sigv4_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/clock.h"
#include "core/crypto.h"

/* --- the outcome table: S3 error code and status for every enum value (§3.2) --- */

static const struct {
    const char *code;
    int status;
} codes[S3_SIG_CODE__COUNT] = {
    [S3_SIG_OK] = {"OK", 200},
    [S3_SIG_ERR_ANONYMOUS] = {"AccessDenied", 403},
    [S3_SIG_ERR_UNSUPPORTED] = {"InvalidRequest", 400},
    [S3_SIG_ERR_MULTIPLE_AUTH] = {"InvalidArgument", 400},
    [S3_SIG_ERR_HEADER_MALFORMED] = {"AuthorizationHeaderMalformed", 400},
    [S3_SIG_ERR_QUERY_MALFORMED] = {"AuthorizationQueryParametersError", 400},
    [S3_SIG_ERR_MISSING_DATE] = {"AccessDenied", 403},
    [S3_SIG_ERR_MISSING_SHA256] = {"InvalidRequest", 400},
    [S3_SIG_ERR_BAD_SHA256] = {"InvalidArgument", 400},
    [S3_SIG_ERR_UNSIGNED_HEADER] = {"AccessDenied", 403},
    [S3_SIG_ERR_SIGNED_HEADER_MISSING] = {"SignatureDoesNotMatch", 403},
    [S3_SIG_ERR_SKEWED] = {"RequestTimeTooSkewed", 403},
    [S3_SIG_ERR_EXPIRED] = {"AccessDenied", 403},
    [S3_SIG_ERR_NOT_YET_VALID] = {"AccessDenied", 403},
    [S3_SIG_ERR_TOKEN_MALFORMED] = {"InvalidToken", 400},
    [S3_SIG_ERR_MISMATCH] = {"SignatureDoesNotMatch", 403},
    [S3_SIG_ERR_LIMIT] = {"InvalidRequest", 400},
    [S3_SIG_ERR_INTERNAL] = {"InternalError", 500},
    [S3_SIG_ERR_INVALID_AKID] = {"InvalidAccessKeyId", 403},
    [S3_SIG_ERR_INVALID_TOKEN] = {"InvalidToken", 400},
    [S3_SIG_ERR_EXPIRED_TOKEN] = {"ExpiredToken", 400},
    [S3_SIG_ERR_ACCESS_DENIED] = {"AccessDenied", 403},
};

const char *s3_sig_code_name(enum s3_sig_code code)
{
    return (unsigned)code < S3_SIG_CODE__COUNT ? codes[code].code : "InternalError";
}

int s3_sig_code_status(enum s3_sig_code code)
{
    return (unsigned)code < S3_SIG_CODE__COUNT ? codes[code].status : 500;
}

static const char *const payload_names[] = {
    [S3_PAYLOAD_HASH] = "",
    [S3_PAYLOAD_UNSIGNED] = "UNSIGNED-PAYLOAD",
    [S3_PAYLOAD_STREAMING_SIGNED] = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    [S3_PAYLOAD_STREAMING_SIGNED_TRAILER] = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    [S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER] = "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
};

const char *s3_payload_mode_name(enum s3_payload_mode mode)
{
    return (unsigned)mode <= S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER ? payload_names[mode] : "";
}

/* Records code and its message in err (when given) and returns code. */
enum s3_sig_code sig_fail(struct s3_sig_err *err, enum s3_sig_code code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* --- small text helpers --- */

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

int sig_ieq(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

int sig_eq(const char *a, size_t an, const char *lit)
{
    size_t n = strlen(lit);
    return an == n && memcmp(a, lit, n) == 0;
}

/* 64 hex digits (either case) into 32 bytes; 0 or -1. */
int sig_hex32(const char *s, size_t n, unsigned char out[32])
{
    if (n != 64)
        return -1;
    for (size_t i = 0; i < 32; i++) {
        int h = crypto_hexval((unsigned char)s[2 * i]), l = crypto_hexval((unsigned char)s[2 * i + 1]);
        if (h < 0 || l < 0)
            return -1;
        out[i] = (unsigned char)(h << 4 | l);
    }
    return 0;
}

int sig_is_ows(char c)
{
    return c == ' ' || c == '\t';
}

void sig_trim(const char **s, size_t *n)
{
    while (*n && sig_is_ows(**s))
        (*s)++, (*n)--;
    while (*n && sig_is_ows((*s)[*n - 1]))
        (*n)--;
}

/* RFC 7230 tchar, lower-case only: SignedHeaders names are lower-case by definition. */
int sig_is_lc_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* --- headers of the request --- */

size_t sig_count_header(const struct s3_sig_req *req, const char *name, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < req->n_headers; i++)
        if (req->headers[i].name &&
            sig_ieq(req->headers[i].name, strlen(req->headers[i].name), name, n))
            c++;
    return c;
}

const char *sig_get_header(const struct s3_sig_req *req, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < req->n_headers; i++)
        if (req->headers[i].name &&
            sig_ieq(req->headers[i].name, strlen(req->headers[i].name), name, n))
            return req->headers[i].value ? req->headers[i].value : "";
    return NULL;
}

/* Whether name[0..n) is one of the ';'-separated signed header names. */
int sig_is_signed(const struct s3_auth *a, const char *name, size_t n)
{
    const char *p = a->signed_headers;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (sig_ieq(p, len, name, n))
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* --- time --- */

/* SigV4 dates are of this era: a real calendar date between 1970 and 9999. */
static int valid_ymd(int y, int m, int d)
{
    return y >= 1970 && y <= 9999 && clock_valid_date(y, m, d);
}

/* yyyymmdd, a real calendar date. */
int sig_parse_date8(const char *s, size_t n)
{
    int y, m, d;
    if (n != 8 || clock_digits(s, 4, &y) || clock_digits(s + 4, 2, &m) ||
        clock_digits(s + 6, 2, &d))
        return -1;
    return valid_ymd(y, m, d) ? 0 : -1;
}

/* ISO 8601 basic, exactly "yyyymmddThhmmssZ" as SigV4 requires. */
int sig_parse_amz_date(const char *s, size_t n, int64_t *ms)
{
    int y, mo, d, h, mi, sec;
    if (n != 16 || s[8] != 'T' || s[15] != 'Z' || clock_digits(s, 4, &y) ||
        clock_digits(s + 4, 2, &mo) || clock_digits(s + 6, 2, &d) || clock_digits(s + 9, 2, &h) ||
        clock_digits(s + 11, 2, &mi) || clock_digits(s + 13, 2, &sec))
        return -1;
    if (!valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 59)
        return -1;
    *ms = clock_civil_ms(y, mo, d, h, mi, sec);
    return 0;
}

/* The Date header fallback (§4.2), IMF-fixdate only: "Fri, 24 May 2013 00:00:00 GMT". The
 * string to sign still carries the ISO 8601 basic form, which is written to amz. */
int sig_parse_http_date(const char *s, size_t n, int64_t *ms, char amz[17])
{
    static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int y, mo = 0, d, h, mi, sec;
    if (n != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
        s[22] != ':' || s[25] != ' ' || memcmp(s + 26, "GMT", 3) != 0)
        return -1;
    for (int i = 0; i < 12; i++)
        if (memcmp(s + 8, mons + 3 * i, 3) == 0)
            mo = i + 1;
    if (!mo || clock_digits(s + 5, 2, &d) || clock_digits(s + 12, 4, &y) ||
        clock_digits(s + 17, 2, &h) || clock_digits(s + 20, 2, &mi) ||
        clock_digits(s + 23, 2, &sec))
        return -1;
    if (!valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 59)
        return -1;
    *ms = clock_civil_ms(y, mo, d, h, mi, sec);
    /* Copy the validated digits rather than format ints: the width is then evident. */
    memcpy(amz, s + 12, 4);
    amz[4] = (char)('0' + mo / 10);
    amz[5] = (char)('0' + mo % 10);
    memcpy(amz + 6, s + 5, 2);
    amz[8] = 'T';
    memcpy(amz + 9, s + 17, 2);
    memcpy(amz + 11, s + 20, 2);
    memcpy(amz + 13, s + 23, 2);
    amz[15] = 'Z';
    amz[16] = '\0';
    return 0;
}

/* --- query strings: spans over the raw text, decoded and re-encoded lazily --- */

/* Splits the raw query at '&' and each part at its first '='; empty parts are skipped.
 * Returns the count, or -1 when there are more than max. */
int sig_split_query(const char *q, struct qparam *out, int max)
{
    int n = 0;
    if (!q)
        return 0;
    while (*q) {
        const char *e = strchr(q, '&');
        size_t len = e ? (size_t)(e - q) : strlen(q);
        if (len) {
            if (n == max)
                return -1;
            const char *eqs = memchr(q, '=', len);
            out[n].k = q;
            out[n].kn = eqs ? (size_t)(eqs - q) : len;
            out[n].v = eqs ? eqs + 1 : q + len;
            out[n].vn = eqs ? len - out[n].kn - 1 : 0;
            n++;
        }
        if (!e)
            break;
        q = e + 1;
    }
    return n;
}

/* Percent-decodes s[0..n) into out (cap bytes incl. NUL); an invalid escape stays literal, as
 * in botocore/urllib; '+' is a literal plus in S3. Returns the length, or -1 if it does not fit. */
long sig_pct_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%' && i + 2 < n && crypto_hexval((unsigned char)s[i + 1]) >= 0 && crypto_hexval((unsigned char)s[i + 2]) >= 0) {
            c = (unsigned char)(crypto_hexval((unsigned char)s[i + 1]) << 4 | crypto_hexval((unsigned char)s[i + 2]));
            i += 2;
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return (long)o;
}

/* Yields the bytes of uri_encode(percent_decode(text)) one at a time: the canonical form of a
 * query key or value (safe set A-Za-z0-9-._~) or, with slash, of a path (§4.4). */
struct enc {
    const unsigned char *p, *e;
    unsigned char pend[2];
    int np, slash;
};

static void enc_init(struct enc *it, const char *s, size_t n, int slash)
{
    it->p = (const unsigned char *)s;
    it->e = it->p + n;
    it->np = 0;
    it->slash = slash;
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

static int enc_next(struct enc *it)
{
    static const char HEX[] = "0123456789ABCDEF";
    if (it->np) {
        int c = it->pend[2 - it->np];
        it->np--;
        return c;
    }
    if (it->p >= it->e)
        return -1;
    unsigned char c = *it->p++;
    if (c == '%' && it->e - it->p >= 2 && crypto_hexval(it->p[0]) >= 0 && crypto_hexval(it->p[1]) >= 0) {
        c = (unsigned char)(crypto_hexval(it->p[0]) << 4 | crypto_hexval(it->p[1]));
        it->p += 2;
    }
    if (unreserved(c) || (it->slash && c == '/'))
        return c;
    it->pend[0] = (unsigned char)HEX[c >> 4];
    it->pend[1] = (unsigned char)HEX[c & 15];
    it->np = 2;
    return '%';
}

static int enc_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    struct enc x, y;
    enc_init(&x, a, an, 0);
    enc_init(&y, b, bn, 0);
    for (;;) {
        int c = enc_next(&x), d = enc_next(&y);
        if (c != d)
            return c < d ? -1 : 1;
        if (c < 0)
            return 0;
    }
}

static int enc_eq_lit(const char *s, size_t n, const char *lit)
{
    return enc_cmp(s, n, lit, strlen(lit)) == 0;
}

static int qparam_cmp(const struct qparam *a, const struct qparam *b)
{
    int c = enc_cmp(a->k, a->kn, b->k, b->kn);
    return c ? c : enc_cmp(a->v, a->vn, b->v, b->vn);
}

/* --- the canonical request, written to a sink that hashes and/or copies --- */

struct sink {
    EVP_MD_CTX *md;
    char *out;
    size_t cap, len;
    int fail;
};

static void put(struct sink *s, const void *p, size_t n)
{
    if (!n)
        return;
    if (s->md && EVP_DigestUpdate(s->md, p, n) != 1)
        s->fail = 1;
    if (s->out && s->len + 1 < s->cap) {
        size_t room = s->cap - 1 - s->len;
        memcpy(s->out + s->len, p, n < room ? n : room);
    }
    s->len += n;
}

static void puts_(struct sink *s, const char *str)
{
    put(s, str, strlen(str));
}

static void put_enc(struct sink *s, const char *str, size_t n, int slash)
{
    struct enc it;
    char buf[64];
    size_t b = 0;
    int c;
    enc_init(&it, str, n, slash);
    while ((c = enc_next(&it)) >= 0) {
        buf[b++] = (char)c;
        if (b == sizeof buf) {
            put(s, buf, b);
            b = 0;
        }
    }
    put(s, buf, b);
}

/* Header value as SigV4 canonicalises it: outer blanks trimmed, inner runs collapsed to one space. */
static void put_header_value(struct sink *s, const char *v)
{
    size_t n = strlen(v);
    sig_trim(&v, &n);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !sig_is_ows(v[j]))
            j++;
        put(s, v + i, j - i);
        if (j == n)
            break;
        while (j < n && sig_is_ows(v[j]))
            j++;
        put(s, " ", 1);
        i = j;
    }
}

static void write_creq(struct sink *s, const struct s3_sig_req *req, const struct s3_auth *a, int reencode)
{
    puts_(s, req->method ? req->method : "");
    put(s, "\n", 1);

    /* CanonicalURI: S3 signs the path as sent, encoded once and never normalised (§4.4). */
    const char *path = req->path && *req->path ? req->path : "/";
    if (reencode)
        put_enc(s, path, strlen(path), 1);
    else
        puts_(s, path);
    put(s, "\n", 1);

    /* CanonicalQueryString: sorted by encoded key then value; presigned drops X-Amz-Signature. */
    struct qparam qp[S3_SIG_QUERY_PARAMS_MAX];
    int nq = sig_split_query(req->query, qp, S3_SIG_QUERY_PARAMS_MAX);
    if (nq < 0) {
        s->fail = 1;
        nq = 0;
    }
    for (int i = 1; i < nq; i++) { /* insertion sort: at most a few dozen parameters */
        struct qparam t = qp[i];
        int j = i - 1;
        while (j >= 0 && qparam_cmp(&qp[j], &t) > 0) {
            qp[j + 1] = qp[j];
            j--;
        }
        qp[j + 1] = t;
    }
    int first = 1;
    for (int i = 0; i < nq; i++) {
        if (a->kind == S3_AUTH_PRESIGNED && enc_eq_lit(qp[i].k, qp[i].kn, "X-Amz-Signature"))
            continue;
        if (!first)
            put(s, "&", 1);
        first = 0;
        put_enc(s, qp[i].k, qp[i].kn, 0);
        put(s, "=", 1);
        put_enc(s, qp[i].v, qp[i].vn, 0);
    }
    put(s, "\n", 1);

    /* CanonicalHeaders in SignedHeaders order; repeated headers joined by ',' in arrival order. */
    const char *p = a->signed_headers;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        put(s, p, len);
        put(s, ":", 1);
        int n = 0;
        for (size_t i = 0; i < req->n_headers; i++) {
            const char *hn = req->headers[i].name;
            if (!hn || !sig_ieq(hn, strlen(hn), p, len))
                continue;
            if (n++)
                put(s, ",", 1);
            put_header_value(s, req->headers[i].value ? req->headers[i].value : "");
        }
        put(s, "\n", 1);
        if (!e)
            break;
        p = e + 1;
    }
    put(s, "\n", 1);
    puts_(s, a->signed_headers);
    put(s, "\n", 1);
    puts_(s, a->payload_hash);
}

static void scope_of(const struct s3_auth *a, char out[S3_SIG_SCOPE_MAX + 1])
{
    snprintf(out, S3_SIG_SCOPE_MAX + 1, "%s/%s/s3/aws4_request", a->date, a->region);
}

/* The string to sign into out (cap ≥ 256 always suffices); returns its length or -1. */
static int string_to_sign(const struct s3_sig_req *req, const struct s3_auth *a, int reencode, char *out,
                          size_t cap)
{
    unsigned char h[32];
    char hx[65], scope[S3_SIG_SCOPE_MAX + 1];
    unsigned int hl = 0;
    struct sink s = {.md = EVP_MD_CTX_new()};
    if (!s.md)
        return -1;
    if (EVP_DigestInit_ex(s.md, EVP_sha256(), NULL) != 1)
        s.fail = 1;
    else
        write_creq(&s, req, a, reencode);
    if (!s.fail && EVP_DigestFinal_ex(s.md, h, &hl) != 1)
        s.fail = 1;
    EVP_MD_CTX_free(s.md);
    if (s.fail)
        return -1;
    crypto_hex(h, 32, hx);
    scope_of(a, scope);
    int n = snprintf(out, cap, ALGO "\n%s\n%s\n%s", a->amz_date, scope, hx);
    return n < 0 || (size_t)n >= cap ? -1 : n;
}

static int sign_with(const unsigned char key[32], const struct s3_sig_req *req, const struct s3_auth *a,
                     int reencode, unsigned char sig[32])
{
    char sts[320];
    int n = string_to_sign(req, a, reencode, sts, sizeof sts);
    if (n < 0)
        return -1;
    return crypto_hmac_sha256(key, 32, sts, (size_t)n, sig);
}

int s3_sig_signing_key(const char *secret, const char *date, const char *region, unsigned char out[32])
{
    char k0[4 + S3_SIG_SECRET_MAX + 1];
    size_t sl = strlen(secret);
    if (sl > S3_SIG_SECRET_MAX)
        return -1;
    memcpy(k0, "AWS4", 4);
    memcpy(k0 + 4, secret, sl);
    unsigned char a[32], b[32];
    int rc = crypto_hmac_sha256(k0, 4 + sl, date, strlen(date), a) ||
             crypto_hmac_sha256(a, 32, region, strlen(region), b) || crypto_hmac_sha256(b, 32, "s3", 2, a) ||
             crypto_hmac_sha256(a, 32, "aws4_request", 12, out);
    /* The derived keys are as good as the secret for a day: do not leave them on the stack. */
    OPENSSL_cleanse(k0, sizeof k0);
    OPENSSL_cleanse(a, sizeof a);
    OPENSSL_cleanse(b, sizeof b);
    return rc ? -1 : 0;
}

size_t s3_sig_canonical_request(const struct s3_sig_req *req, const struct s3_auth *auth, int reencode_path,
                                char *out, size_t cap)
{
    struct sink s = {.out = out, .cap = cap};
    write_creq(&s, req, auth, reencode_path);
    if (cap)
        out[s.len < cap ? s.len : cap - 1] = '\0';
    return s.len;
}

size_t s3_sig_string_to_sign(const struct s3_sig_req *req, const struct s3_auth *auth, char *out, size_t cap)
{
    char sts[320];
    int n = string_to_sign(req, auth, 0, sts, sizeof sts);
    if (n < 0)
        n = 0, sts[0] = '\0';
    if (cap)
        snprintf(out, cap, "%s", sts);
    return (size_t)n;
}

enum s3_sig_code s3_sig_compute(const struct s3_sig_req *req, const struct s3_auth *auth, const char *secret,
                                char out[65])
{
    unsigned char key[32], sig[32];
    out[0] = '\0';
    if (s3_sig_signing_key(secret, auth->date, auth->region, key) || sign_with(key, req, auth, 0, sig)) {
        OPENSSL_cleanse(key, sizeof key);
        return S3_SIG_ERR_INTERNAL;
    }
    OPENSSL_cleanse(key, sizeof key);
    crypto_hex(sig, 32, out);
    return S3_SIG_OK;
}

/* Whether the §4.4 re-encoded path differs from the raw one (only then is a retry useful). */
static int path_reencodes_differently(const char *path)
{
    struct enc it;
    size_t n = strlen(path), i = 0;
    int c;
    enc_init(&it, path, n, 1);
    while ((c = enc_next(&it)) >= 0) {
        if (i >= n || (unsigned char)path[i] != c)
            return 1;
        i++;
    }
    return i != n;
}

enum s3_sig_code s3_sig_verify_key(const struct s3_sig_req *req, const struct s3_auth *auth,
                                   const unsigned char key[32], struct s3_sig_ctx *ctx, struct s3_sig_err *err)
{
    unsigned char sig[32];
    const char *path = req->path && *req->path ? req->path : "/";
    int ok;
    if (sign_with(key, req, auth, 0, sig) == 0)
        ok = crypto_equal(sig, auth->signature, 32);
    else
        ok = -1;
    if (ok == 0 && path_reencodes_differently(path)) {
        if (sign_with(key, req, auth, 1, sig) == 0)
            ok = crypto_equal(sig, auth->signature, 32);
        else
            ok = -1;
    }
    if (ok < 0)
        return sig_fail(err, S3_SIG_ERR_INTERNAL, "libcrypto failure while signing");
    if (!ok)
        return sig_fail(
            err, S3_SIG_ERR_MISMATCH,
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.");
    if (ctx) {
        memcpy(ctx->key, key, 32);
        memcpy(ctx->amz_date, auth->amz_date, sizeof ctx->amz_date);
        scope_of(auth, ctx->scope);
        crypto_hex(sig, 32, ctx->seed);
    }
    if (err)
        err->code = S3_SIG_OK, err->msg[0] = '\0';
    return S3_SIG_OK;
}

enum s3_sig_code s3_sig_verify(const struct s3_sig_req *req, const struct s3_auth *auth, const char *secret,
                               struct s3_sig_ctx *ctx, struct s3_sig_err *err)
{
    unsigned char key[32];
    if (s3_sig_signing_key(secret, auth->date, auth->region, key))
        return sig_fail(err, S3_SIG_ERR_INTERNAL, "cannot derive the signing key");
    enum s3_sig_code rc = s3_sig_verify_key(req, auth, key, ctx, err);
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

int s3_sig_ctx_init(struct s3_sig_ctx *ctx, const char *secret, const char *date, const char *region,
                    const char *amz_date, const char *seed)
{
    unsigned char tmp[32];
    memset(ctx, 0, sizeof *ctx);
    if (strlen(amz_date) != 16 || strlen(seed) != 64 || sig_hex32(seed, 64, tmp) ||
        strlen(region) > S3_SIG_REGION_MAX || s3_sig_signing_key(secret, date, region, ctx->key))
        return -1;
    memcpy(ctx->amz_date, amz_date, 17);
    snprintf(ctx->scope, sizeof ctx->scope, "%s/%s/s3/aws4_request", date, region);
    for (int i = 0; i < 64; i++)
        ctx->seed[i] = (char)lower((unsigned char)seed[i]);
    ctx->seed[64] = '\0';
    return 0;
}

static int stream_sig(const struct s3_sig_ctx *ctx, const char *algo, const char prev[65], const char *extra,
                      const unsigned char h[32], char out[65])
{
    char sts[512], hx[65];
    unsigned char sig[32];
    crypto_hex(h, 32, hx);
    int n = snprintf(sts, sizeof sts, "%s\n%s\n%s\n%.64s\n%s%s", algo, ctx->amz_date, ctx->scope, prev, extra, hx);
    if (n < 0 || (size_t)n >= sizeof sts || crypto_hmac_sha256(ctx->key, 32, sts, (size_t)n, sig)) {
        out[0] = '\0';
        return -1;
    }
    crypto_hex(sig, 32, out);
    return 0;
}

int s3_sig_chunk_signature(const struct s3_sig_ctx *ctx, const char prev[65], const unsigned char chunk_sha256[32],
                           char out[65])
{
    return stream_sig(ctx, "AWS4-HMAC-SHA256-PAYLOAD", prev, EMPTY_SHA256 "\n", chunk_sha256, out);
}

int s3_sig_trailer_signature(const struct s3_sig_ctx *ctx, const char prev[65],
                             const unsigned char trailers_sha256[32], char out[65])
{
    return stream_sig(ctx, "AWS4-HMAC-SHA256-TRAILER", prev, "", trailers_sha256, out);
}
