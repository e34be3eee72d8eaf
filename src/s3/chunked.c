/* chunked.c — aws-chunked decoding (../spec/s3-compat.md §2.5, §4.8-4.10): a byte-driven state
 * machine, so any split of the same body gives the same output and the same verdict. Lines
 * are collected in a fixed buffer; payload bytes are handed on without copying. */
#include "s3/chunked.h"

#include <string.h>

#include <openssl/evp.h>

#include "core/crypto.h"

enum {
    ST_PLAIN,      /* not aws-chunked: everything is payload */
    ST_SIZE,       /* in a chunk-size line */
    ST_SIZE_LF,    /* CR of a chunk-size line seen */
    ST_DATA,       /* in chunk data */
    ST_DATA_CR,    /* after chunk data: CR expected */
    ST_DATA_LF,    /* LF expected */
    ST_TRAILER,    /* in a trailer line (or the final empty line) */
    ST_TRAILER_LF, /* CR of a trailer line seen */
    ST_DONE,
    ST_ERR,
};

static const struct {
    const char *code;
    int status;
} rcs[S3_CHUNKED_RC__COUNT] = {
    [S3_CHUNKED_OK] = {"", 200},
    [S3_CHUNKED_DONE] = {"", 200},
    [S3_CHUNKED_ERR_FRAMING] = {"IncompleteBody", 400},
    [S3_CHUNKED_ERR_TRUNCATED] = {"IncompleteBody", 400},
    [S3_CHUNKED_ERR_SIGNATURE] = {"SignatureDoesNotMatch", 403},
    [S3_CHUNKED_ERR_TRAILER] = {"MalformedTrailerError", 400},
    [S3_CHUNKED_ERR_LENGTH] = {"IncompleteBody", 400},
    [S3_CHUNKED_ERR_TOO_LARGE] = {"EntityTooLarge", 400},
    [S3_CHUNKED_ERR_PAYLOAD_HASH] = {"XAmzContentSHA256Mismatch", 400},
    [S3_CHUNKED_ERR_CALLBACK] = {"InternalError", 500},
    [S3_CHUNKED_ERR_INTERNAL] = {"InternalError", 500},
};

const char *s3_chunked_rc_name(enum s3_chunked_rc rc)
{
    return (unsigned)rc < S3_CHUNKED_RC__COUNT ? rcs[rc].code : "InternalError";
}

int s3_chunked_rc_status(enum s3_chunked_rc rc)
{
    return (unsigned)rc < S3_CHUNKED_RC__COUNT ? rcs[rc].status : 500;
}

static int is_signed_mode(enum s3_payload_mode m)
{
    return m == S3_PAYLOAD_STREAMING_SIGNED || m == S3_PAYLOAD_STREAMING_SIGNED_TRAILER;
}

static int is_streaming(enum s3_payload_mode m)
{
    return is_signed_mode(m) || m == S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER;
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_ows(**s))
        (*s)++, (*n)--;
    while (*n && is_ows((*s)[*n - 1]))
        (*n)--;
}

/* Copies 64 hex digits lower-cased into out; 0, or -1 when s[0..n) is not that. */
static int sig_hex(const char *s, size_t n, char out[65])
{
    if (n != 64)
        return -1;
    for (size_t i = 0; i < 64; i++) {
        if (crypto_hexval((unsigned char)s[i]) < 0)
            return -1;
        out[i] = (char)lower((unsigned char)s[i]);
    }
    out[64] = '\0';
    return 0;
}

static enum s3_chunked_rc set_err(struct s3_chunked *d, enum s3_chunked_rc rc)
{
    d->rc = rc;
    d->state = ST_ERR;
    return rc;
}

static int md_start(struct s3_chunked *d)
{
    return EVP_DigestInit_ex(d->md, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

static int md_end(struct s3_chunked *d, unsigned char h[32])
{
    unsigned int n = 0;
    return EVP_DigestFinal_ex(d->md, h, &n) == 1 && n == 32 ? 0 : -1;
}

enum s3_chunked_rc s3_chunked_init(struct s3_chunked *d, const struct s3_chunked_cfg *cfg)
{
    memset(d, 0, sizeof *d);
    d->cfg = *cfg;
    d->cfg.declared_trailers = NULL; /* parsed below; the caller's string need not outlive init */
    d->state = is_streaming(cfg->mode) ? ST_SIZE : ST_PLAIN;
    d->rc = S3_CHUNKED_OK;

    if (is_signed_mode(cfg->mode)) {
        if (!cfg->sig)
            return set_err(d, S3_CHUNKED_ERR_INTERNAL);
        memcpy(d->prev_sig, cfg->sig->seed, sizeof d->prev_sig);
    }
    if (cfg->mode == S3_PAYLOAD_HASH && !cfg->payload_sha256)
        return set_err(d, S3_CHUNKED_ERR_INTERNAL);
    if (is_signed_mode(cfg->mode) || cfg->mode == S3_PAYLOAD_HASH) {
        d->md = EVP_MD_CTX_new();
        if (!d->md || md_start(d))
            return set_err(d, S3_CHUNKED_ERR_INTERNAL);
    }

    /* X-Amz-Trailer: comma-separated names, compared case-insensitively. */
    const char *t = cfg->declared_trailers;
    while (t && *t) {
        const char *e = strchr(t, ',');
        size_t n = e ? (size_t)(e - t) : strlen(t);
        const char *s = t;
        trim(&s, &n);
        if (n) {
            if (d->declared_n == S3_CHUNKED_DECLARED_MAX || n >= sizeof d->declared[0])
                return set_err(d, S3_CHUNKED_ERR_TRAILER);
            for (size_t i = 0; i < n; i++)
                d->declared[d->declared_n][i] = (char)lower((unsigned char)s[i]);
            d->declared[d->declared_n][n] = '\0';
            d->declared_n++;
        }
        if (!e)
            break;
        t = e + 1;
    }
    return S3_CHUNKED_OK;
}

void s3_chunked_free(struct s3_chunked *d)
{
    if (d->md)
        EVP_MD_CTX_free(d->md);
    d->md = NULL;
}

uint64_t s3_chunked_decoded(const struct s3_chunked *d)
{
    return d->decoded;
}

int s3_chunked_trailer_count(const struct s3_chunked *d)
{
    return d->n_trailers;
}

const struct s3_trailer *s3_chunked_trailer_at(const struct s3_chunked *d, int i)
{
    return i >= 0 && i < d->n_trailers ? &d->trailers[i] : NULL;
}

const char *s3_chunked_trailer(const struct s3_chunked *d, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < d->n_trailers; i++) {
        const char *t = d->trailers[i].name;
        if (strlen(t) != n)
            continue;
        size_t k = 0;
        while (k < n && lower((unsigned char)name[k]) == (unsigned char)t[k])
            k++;
        if (k == n)
            return d->trailers[i].value;
    }
    return NULL;
}

/* Checks n more payload bytes against the declared length and the cap, before they go out.
 * The verdict names the tighter of the two limits, so it does not depend on how the body was
 * split (decoded never exceeds either limit, as every byte went through here). */
static enum s3_chunked_rc admit(struct s3_chunked *d, uint64_t n)
{
    uint64_t lim_len = d->cfg.decoded_length >= 0 ? (uint64_t)d->cfg.decoded_length : UINT64_MAX;
    uint64_t lim_max = d->cfg.max_length ? d->cfg.max_length : UINT64_MAX;
    uint64_t lim = lim_len < lim_max ? lim_len : lim_max;
    if (n <= lim - d->decoded)
        return S3_CHUNKED_OK;
    return lim_len <= lim_max ? S3_CHUNKED_ERR_LENGTH : S3_CHUNKED_ERR_TOO_LARGE;
}

static enum s3_chunked_rc emit(struct s3_chunked *d, const unsigned char *p, size_t n)
{
    if (d->md && EVP_DigestUpdate(d->md, p, n) != 1)
        return S3_CHUNKED_ERR_INTERNAL;
    d->decoded += n;
    if (d->cfg.on_data && d->cfg.on_data(d->cfg.user, p, n))
        return S3_CHUNKED_ERR_CALLBACK;
    return S3_CHUNKED_OK;
}

/* The end of a signed chunk's data: its SHA-256 must give the signature it claimed, chained
 * from the previous one (§4.8). */
static enum s3_chunked_rc chunk_end(struct s3_chunked *d)
{
    unsigned char h[32];
    char sig[65];
    if (!is_signed_mode(d->cfg.mode))
        return S3_CHUNKED_OK;
    if (md_end(d, h) || s3_sig_chunk_signature(d->cfg.sig, d->prev_sig, h, sig))
        return S3_CHUNKED_ERR_INTERNAL;
    if (!crypto_equal(sig, d->want_sig, 64))
        return S3_CHUNKED_ERR_SIGNATURE;
    memcpy(d->prev_sig, sig, sizeof sig);
    return S3_CHUNKED_OK;
}

/* hex-size *( OWS ";" OWS ext-name [ OWS "=" OWS ext-value ] ) OWS — nothing else. */
static enum s3_chunked_rc size_line(struct s3_chunked *d)
{
    const char *s = d->line;
    size_t n = d->line_len, i = 0;
    uint64_t v = 0;
    int have_sig = 0, exts = 0;
    while (i < n && crypto_hexval((unsigned char)s[i]) >= 0) {
        if (v > (UINT64_MAX >> 4))
            return S3_CHUNKED_ERR_FRAMING;
        v = v << 4 | (uint64_t)crypto_hexval((unsigned char)s[i]);
        i++;
    }
    if (i == 0)
        return S3_CHUNKED_ERR_FRAMING;
    for (;;) {
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n)
            break;
        if (s[i] != ';' || ++exts > S3_CHUNKED_EXT_MAX)
            return S3_CHUNKED_ERR_FRAMING;
        i++;
        while (i < n && is_ows(s[i]))
            i++;
        size_t ns = i;
        while (i < n && is_tchar((unsigned char)s[i]))
            i++;
        size_t nn = i - ns, vs = i, vn = 0;
        if (nn == 0)
            return S3_CHUNKED_ERR_FRAMING;
        size_t j = i;
        while (j < n && is_ows(s[j]))
            j++;
        if (j < n && s[j] == '=') {
            j++;
            while (j < n && is_ows(s[j]))
                j++;
            vs = j;
            while (j < n && is_tchar((unsigned char)s[j]))
                j++;
            vn = j - vs;
            if (vn == 0)
                return S3_CHUNKED_ERR_FRAMING;
            i = j;
        }
        if (nn == 15 && strncmp(s + ns, "chunk-signature", 15) == 0) {
            if (have_sig++)
                return S3_CHUNKED_ERR_FRAMING;
            /* Only the signed modes read it; unsigned modes tolerate it (§2.5). */
            if (is_signed_mode(d->cfg.mode) && sig_hex(s + vs, vn, d->want_sig))
                return S3_CHUNKED_ERR_SIGNATURE;
        }
    }
    if (is_signed_mode(d->cfg.mode) && !have_sig)
        return S3_CHUNKED_ERR_SIGNATURE;
    enum s3_chunked_rc rc = admit(d, v);
    if (rc)
        return rc;
    if (is_signed_mode(d->cfg.mode) && md_start(d))
        return S3_CHUNKED_ERR_INTERNAL;
    d->line_len = 0;
    if (v == 0) {
        /* The final chunk is signed too, over empty data; then the trailer section. */
        if ((rc = chunk_end(d)))
            return rc;
        if (d->cfg.mode == S3_PAYLOAD_STREAMING_SIGNED_TRAILER && md_start(d))
            return S3_CHUNKED_ERR_INTERNAL;
        d->state = ST_TRAILER;
    } else {
        d->remaining = v;
        d->state = ST_DATA;
    }
    return S3_CHUNKED_OK;
}

static int declared(const struct s3_chunked *d, const char *name)
{
    for (int i = 0; i < d->declared_n; i++)
        if (strcmp(d->declared[i], name) == 0)
            return 1;
    return 0;
}

/* The empty line closing the trailer section: everything promised must have arrived. */
static enum s3_chunked_rc trailers_end(struct s3_chunked *d)
{
    if (d->cfg.mode == S3_PAYLOAD_STREAMING_SIGNED_TRAILER && !d->trailer_sig_seen)
        return S3_CHUNKED_ERR_FRAMING; /* AWS: IncompleteBody (versitygw#1695) */
    for (int i = 0; i < d->declared_n; i++)
        if (!s3_chunked_trailer(d, d->declared[i]))
            return S3_CHUNKED_ERR_TRAILER; /* declared, never sent (versitygw#1600) */
    if (d->cfg.decoded_length >= 0 && d->decoded != (uint64_t)d->cfg.decoded_length)
        return S3_CHUNKED_ERR_LENGTH;
    d->state = ST_DONE;
    return S3_CHUNKED_DONE;
}

/* One "name:value" trailer line, blanks around ':' tolerated (§2.5). */
static enum s3_chunked_rc trailer_line(struct s3_chunked *d)
{
    if (d->line_len == 0)
        return trailers_end(d);
    if (d->trailer_sig_seen)
        return S3_CHUNKED_ERR_TRAILER; /* the signature closes the section */
    const char *line = d->line;
    size_t len = d->line_len;
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return S3_CHUNKED_ERR_TRAILER;
    const char *name = line, *val = colon + 1;
    size_t nn = (size_t)(colon - line), vn = len - nn - 1;
    trim(&name, &nn);
    trim(&val, &vn);
    if (nn == 0)
        return S3_CHUNKED_ERR_TRAILER;
    char lname[S3_CHUNKED_LINE_MAX + 1];
    for (size_t i = 0; i < nn; i++) {
        if (!is_tchar((unsigned char)name[i]))
            return S3_CHUNKED_ERR_TRAILER;
        lname[i] = (char)lower((unsigned char)name[i]);
    }
    lname[nn] = '\0';
    for (size_t i = 0; i < vn; i++)
        if ((unsigned char)val[i] < 0x20 && val[i] != '\t')
            return S3_CHUNKED_ERR_TRAILER;
    d->line_len = 0;

    if (strcmp(lname, "x-amz-trailer-signature") == 0) {
        unsigned char h[32];
        char want[65], sig[65];
        if (d->cfg.mode != S3_PAYLOAD_STREAMING_SIGNED_TRAILER)
            return S3_CHUNKED_ERR_TRAILER;
        if (sig_hex(val, vn, want))
            return S3_CHUNKED_ERR_SIGNATURE;
        if (md_end(d, h) || s3_sig_trailer_signature(d->cfg.sig, d->prev_sig, h, sig))
            return S3_CHUNKED_ERR_INTERNAL;
        if (!crypto_equal(sig, want, 64))
            return S3_CHUNKED_ERR_SIGNATURE;
        d->trailer_sig_seen = 1;
        return S3_CHUNKED_OK;
    }
    if (d->cfg.mode == S3_PAYLOAD_STREAMING_SIGNED || !declared(d, lname) || s3_chunked_trailer(d, lname) ||
        d->n_trailers == S3_CHUNKED_TRAILERS_MAX || d->tbytes + nn + vn + 2 > sizeof d->tstore)
        return S3_CHUNKED_ERR_TRAILER;
    char *np = d->tstore + d->tbytes;
    memcpy(np, lname, nn + 1);
    char *vp = np + nn + 1;
    memcpy(vp, val, vn);
    vp[vn] = '\0';
    d->tbytes += nn + vn + 2;
    d->trailers[d->n_trailers].name = np;
    d->trailers[d->n_trailers].value = vp;
    d->n_trailers++;
    /* The signed form of each trailer is "name:value\n" (§4.9). */
    if (d->cfg.mode == S3_PAYLOAD_STREAMING_SIGNED_TRAILER &&
        (EVP_DigestUpdate(d->md, np, nn) != 1 || EVP_DigestUpdate(d->md, ":", 1) != 1 ||
         EVP_DigestUpdate(d->md, vp, vn) != 1 || EVP_DigestUpdate(d->md, "\n", 1) != 1))
        return S3_CHUNKED_ERR_INTERNAL;
    return S3_CHUNKED_OK;
}

enum s3_chunked_rc s3_chunked_feed(struct s3_chunked *d, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    size_t i = 0;
    enum s3_chunked_rc rc = S3_CHUNKED_OK;
    if (d->state == ST_ERR)
        return d->rc;
    while (i < n) {
        unsigned char c;
        switch (d->state) {
        case ST_PLAIN:
            if ((rc = admit(d, n - i)) || (rc = emit(d, p + i, n - i)))
                return set_err(d, rc);
            i = n;
            break;
        case ST_SIZE:
        case ST_TRAILER:
            c = p[i++];
            if (c == '\r') {
                d->state = d->state == ST_SIZE ? ST_SIZE_LF : ST_TRAILER_LF;
            } else if (c == '\n') {
                return set_err(d, S3_CHUNKED_ERR_FRAMING); /* strict CRLF */
            } else if (d->line_len == S3_CHUNKED_LINE_MAX) {
                return set_err(d, d->state == ST_SIZE ? S3_CHUNKED_ERR_FRAMING : S3_CHUNKED_ERR_TRAILER);
            } else {
                d->line[d->line_len++] = (char)c;
            }
            break;
        case ST_SIZE_LF:
        case ST_TRAILER_LF: {
            int trailer = d->state == ST_TRAILER_LF;
            if (p[i++] != '\n')
                return set_err(d, S3_CHUNKED_ERR_FRAMING);
            d->line[d->line_len] = '\0';
            d->state = trailer ? ST_TRAILER : ST_SIZE;
            rc = trailer ? trailer_line(d) : size_line(d);
            if (rc != S3_CHUNKED_OK && rc != S3_CHUNKED_DONE)
                return set_err(d, rc);
            break;
        }
        case ST_DATA: {
            size_t k = n - i;
            if (k > d->remaining)
                k = (size_t)d->remaining;
            if ((rc = emit(d, p + i, k)))
                return set_err(d, rc);
            i += k;
            d->remaining -= k;
            if (d->remaining == 0) {
                if ((rc = chunk_end(d)))
                    return set_err(d, rc);
                d->state = ST_DATA_CR;
            }
            break;
        }
        case ST_DATA_CR:
            if (p[i++] != '\r')
                return set_err(d, S3_CHUNKED_ERR_FRAMING);
            d->state = ST_DATA_LF;
            break;
        case ST_DATA_LF:
            if (p[i++] != '\n')
                return set_err(d, S3_CHUNKED_ERR_FRAMING);
            d->state = ST_SIZE;
            break;
        case ST_DONE:
            return set_err(d, S3_CHUNKED_ERR_FRAMING); /* bytes after the end */
        default:
            return set_err(d, S3_CHUNKED_ERR_INTERNAL);
        }
    }
    return d->state == ST_DONE ? S3_CHUNKED_DONE : S3_CHUNKED_OK;
}

enum s3_chunked_rc s3_chunked_finish(struct s3_chunked *d)
{
    switch (d->state) {
    case ST_ERR:
        return d->rc;
    case ST_DONE:
        return S3_CHUNKED_DONE;
    case ST_PLAIN:
        if (d->cfg.decoded_length >= 0 && d->decoded != (uint64_t)d->cfg.decoded_length)
            return set_err(d, S3_CHUNKED_ERR_LENGTH);
        if (d->cfg.mode == S3_PAYLOAD_HASH) {
            unsigned char h[32];
            if (md_end(d, h))
                return set_err(d, S3_CHUNKED_ERR_INTERNAL);
            if (!crypto_equal(h, d->cfg.payload_sha256, 32))
                return set_err(d, S3_CHUNKED_ERR_PAYLOAD_HASH);
        }
        d->state = ST_DONE;
        return S3_CHUNKED_DONE;
    case ST_TRAILER:
        /* The JS SDK's encoder ends an aws-chunked body without a checksum at "0\r\n", leaving
         * out the closing CRLF; accept that where there is nothing else to wait for. */
        if (d->cfg.mode == S3_PAYLOAD_STREAMING_UNSIGNED_TRAILER && d->declared_n == 0 && d->n_trailers == 0 &&
            d->line_len == 0) {
            enum s3_chunked_rc rc = trailers_end(d);
            return rc == S3_CHUNKED_DONE ? rc : set_err(d, rc);
        }
        return set_err(d, S3_CHUNKED_ERR_TRUNCATED);
    default:
        return set_err(d, S3_CHUNKED_ERR_TRUNCATED);
    }
}
