/* chunked.h — the request-body decoder for every x-amz-content-sha256 mode: a pass-through
 * (with SHA-256 check) for plain bodies and an incremental aws-chunked state machine for the
 * STREAMING-* modes, fed in arbitrary splits, in O(1) memory, with every line and count capped. */
#ifndef GP_S3_CHUNKED_H
#define GP_S3_CHUNKED_H

#include <stddef.h>
#include <stdint.h>

#include "s3/sigv4.h"

#define S3_CHUNKED_LINE_MAX 256      /* a chunk-size line or one trailer line, CRLF excluded */
#define S3_CHUNKED_EXT_MAX 4         /* chunk extensions on one size line */
#define S3_CHUNKED_TRAILERS_MAX 8    /* trailer fields, the signature line excluded */
#define S3_CHUNKED_TRAILER_BYTES 1024 /* storage for all trailer names and values */
#define S3_CHUNKED_DECLARED_MAX 8    /* names in X-Amz-Trailer */

/* Result of feeding and finishing, each with an S3 error code and status (see
 * s3_chunked_rc_name / s3_chunked_rc_status, and ../spec/s3-compat.md §2.5, §4.8-10). */
enum s3_chunked_rc {
    S3_CHUNKED_OK = 0,           /* input consumed; more body expected */
    S3_CHUNKED_DONE,             /* the body is complete and every check passed */
    S3_CHUNKED_ERR_FRAMING,      /* IncompleteBody 400: bad size line, CRLF, caps, bytes after the end */
    S3_CHUNKED_ERR_TRUNCATED,    /* IncompleteBody 400: the body ended before the final chunk/trailers */
    S3_CHUNKED_ERR_SIGNATURE,    /* SignatureDoesNotMatch 403: chunk or trailer signature wrong/missing */
    S3_CHUNKED_ERR_TRAILER,      /* MalformedTrailerError 400: undeclared, missing, repeated, malformed */
    S3_CHUNKED_ERR_LENGTH,       /* IncompleteBody 400: decoded size ≠ x-amz-decoded-content-length */
    S3_CHUNKED_ERR_TOO_LARGE,    /* EntityTooLarge 400: decoded size over the caller's maximum */
    S3_CHUNKED_ERR_PAYLOAD_HASH, /* XAmzContentSHA256Mismatch 400: body ≠ the promised SHA-256 */
    S3_CHUNKED_ERR_CALLBACK,     /* the data callback refused (its own reason; caller maps it) */
    S3_CHUNKED_ERR_INTERNAL,     /* InternalError 500: libcrypto failed */
    S3_CHUNKED_RC__COUNT
};

/* Receives decoded payload bytes; returns 0, or non-zero to stop with S3_CHUNKED_ERR_CALLBACK.
 * Bytes of a signed chunk arrive before its signature is checked: the caller stages them and
 * commits only after S3_CHUNKED_DONE (§6 pitfall 8). */
typedef int (*s3_chunked_data_fn)(void *user, const unsigned char *p, size_t n);

struct s3_chunked_cfg {
    enum s3_payload_mode mode;            /* from struct s3_auth.payload */
    const unsigned char *payload_sha256;  /* S3_PAYLOAD_HASH: the promised digest (32 bytes) */
    const struct s3_sig_ctx *sig;         /* the two signed STREAMING modes: from s3_sig_verify */
    const char *declared_trailers;        /* X-Amz-Trailer value, or NULL when absent */
    int64_t decoded_length;               /* x-amz-decoded-content-length (or Content-Length), -1 if unknown */
    uint64_t max_length;                  /* largest decoded body accepted, 0 for no cap */
    s3_chunked_data_fn on_data;
    void *user;
};

/* One trailer field, name lower-cased and value trimmed; both NUL-terminated. */
struct s3_trailer {
    const char *name, *value;
};

/* Decoder state: fixed size, whatever the body; treat the fields as private. */
struct s3_chunked {
    struct s3_chunked_cfg cfg;
    int state, rc;
    struct evp_md_ctx_st *md;              /* chunk SHA-256, trailer SHA-256, or whole-body SHA-256 */
    uint64_t decoded, remaining;
    char prev_sig[65];                     /* signature chain: seed, then each chunk's */
    char want_sig[65];                     /* the signature the current chunk claims */
    size_t line_len;
    char line[S3_CHUNKED_LINE_MAX + 1];
    int declared_n;
    char declared[S3_CHUNKED_DECLARED_MAX][48];
    int n_trailers, trailer_sig_seen;
    size_t tbytes;
    char tstore[S3_CHUNKED_TRAILER_BYTES];
    struct s3_trailer trailers[S3_CHUNKED_TRAILERS_MAX];
};

/* Prepares d for one body; returns S3_CHUNKED_OK, or ERR_TRAILER for an X-Amz-Trailer with
 * more than S3_CHUNKED_DECLARED_MAX or over-long names, ERR_INTERNAL for a missing sig ctx in a
 * signed mode or an allocation failure. Call s3_chunked_free in every case. */
enum s3_chunked_rc s3_chunked_init(struct s3_chunked *d, const struct s3_chunked_cfg *cfg);

/* Consumes p[0..n) (any split); returns OK, DONE once the aws-chunked end is reached, or an
 * error, which is sticky: later calls return it again. */
enum s3_chunked_rc s3_chunked_feed(struct s3_chunked *d, const void *p, size_t n);

/* The transport body ended: returns DONE when it was complete and every check passed (length,
 * payload hash, declared trailers), else the error (ERR_TRUNCATED if it stopped early). */
enum s3_chunked_rc s3_chunked_finish(struct s3_chunked *d);

/* Releases the hash state; safe to call twice. */
void s3_chunked_free(struct s3_chunked *d);

/* Decoded payload bytes delivered so far. */
uint64_t s3_chunked_decoded(const struct s3_chunked *d);

/* Number of trailer fields received (x-amz-trailer-signature is checked, not listed). */
int s3_chunked_trailer_count(const struct s3_chunked *d);

/* The i-th trailer field, or NULL when out of range. */
const struct s3_trailer *s3_chunked_trailer_at(const struct s3_chunked *d, int i);

/* The value of trailer name (any case), or NULL when it was not received. */
const char *s3_chunked_trailer(const struct s3_chunked *d, const char *name);

/* The S3 error code for rc ("IncompleteBody"); "" for OK and DONE. */
const char *s3_chunked_rc_name(enum s3_chunked_rc rc);

/* The HTTP status for rc (200 for OK and DONE, 500 for ERR_CALLBACK, which the caller maps). */
int s3_chunked_rc_status(enum s3_chunked_rc rc);

#endif
