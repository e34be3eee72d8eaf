/* sigv4_int.h — what the two halves of SigV4 share: small text helpers over (pointer, length)
 * spans, the request's headers, the three date forms and raw query splitting. The signing side
 * (sigv4.c) and the parsing side (sigv4_parse.c) use them; nothing outside src/s3/ does. */
#ifndef GP_SIGV4_INT_H
#define GP_SIGV4_INT_H

#include "s3/sigv4.h"

#include <stddef.h>
#include <stdint.h>

#define ALGO "AWS4-HMAC-SHA256"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct qparam {
    const char *k, *v;
    size_t kn, vn;
};

/* 1 when a[0..an) equals b[0..bn) ignoring ASCII case. */
int sig_ieq(const char *a, size_t an, const char *b, size_t bn);

/* 1 when s[0..n) is exactly the C string lit. */
int sig_eq(const char *a, size_t an, const char *lit);

/* 64 hex digits (either case) into 32 bytes; 0 or -1. */
int sig_hex32(const char *s, size_t n, unsigned char out[32]);

/* 1 for optional whitespace (space or tab, RFC 7230). */
int sig_is_ows(char c);

/* Narrows s[0..n) to exclude leading and trailing optional whitespace. */
void sig_trim(const char **s, size_t *n);

/* RFC 7230 tchar, lower-case only: SignedHeaders names are lower-case by definition. */
int sig_is_lc_tchar(unsigned char c);

/* How many times the request carries header name[0..n) (case-insensitive). */
size_t sig_count_header(const struct s3_sig_req *req, const char *name, size_t n);

/* The value of header name (case-insensitive), or NULL. */
const char *sig_get_header(const struct s3_sig_req *req, const char *name);

/* Whether name[0..n) is one of the ';'-separated signed header names. */
int sig_is_signed(const struct s3_auth *a, const char *name, size_t n);

/* yyyymmdd, a real calendar date. */
int sig_parse_date8(const char *s, size_t n);

/* ISO 8601 basic, exactly "yyyymmddThhmmssZ" as SigV4 requires. */
int sig_parse_amz_date(const char *s, size_t n, int64_t *ms);

/* The Date header fallback (§4.2), IMF-fixdate only: "Fri, 24 May 2013 00:00:00 GMT". The
 * string to sign still carries the ISO 8601 basic form, which is written to amz. */
int sig_parse_http_date(const char *s, size_t n, int64_t *ms, char amz[17]);

/* Splits the raw query at '&' and each part at its first '='; empty parts are skipped.
 * Returns the count, or -1 when there are more than max. */
int sig_split_query(const char *q, struct qparam *out, int max);

/* Percent-decodes s[0..n) into out (cap bytes incl. NUL); an invalid escape stays literal, as
 * in botocore/urllib; '+' is a literal plus in S3. Returns the length, or -1 if it does not fit. */
long sig_pct_decode(const char *s, size_t n, char *out, size_t cap);

/* Records code and its message in err (when given) and returns code. */
enum s3_sig_code sig_fail(struct s3_sig_err *err, enum s3_sig_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
