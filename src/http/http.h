/* http.h — the HTTP facade over libmicrohttpd. Nothing else includes <microhttpd.h>.
 * The server calls the app twice per request: on_headers as soon as the request head is in
 * (route, authenticate, decide the body limit, or refuse before any body byte is read, which also
 * suppresses "100 Continue"), then on_request with the whole body to produce the response. */
#ifndef GP_HTTP_H
#define GP_HTTP_H

#include "core/arena.h"
#include "core/ids.h"
#include "core/rc.h"

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_RESP_HEADERS 24

struct resp {
    int status;
    const char *content_type;  /* NULL: no Content-Type */
    const char *body;          /* arena memory */
    size_t len;
    int64_t head_length;       /* HEAD answers: the Content-Length to announce (body not sent) */
    int fd;                    /* > 0: the body is fd's bytes [fd_offset, fd_offset+fd_length) */
    uint64_t fd_offset, fd_length;
    int nhdr;
    struct {
        const char *name, *value;
    } hdr[HTTP_MAX_RESP_HEADERS];
};

struct req {
    struct arena *arena;
    const char *method;          /* as sent; HEAD is routed like GET */
    const char *path;            /* percent-decoded path, without the query */
    const char *raw_path;        /* the path exactly as received (for signatures) */
    char request_id[ID_MAX];
    int tls;                     /* 1 when the connection is HTTPS */
    char client_addr[48];        /* the peer's IP address as text ("" when unknown) */
    int64_t start_ns;
    /* Body: a capped in-memory copy. */
    int64_t content_length;      /* -1 when absent (chunked or no body) */
    size_t body_limit;           /* set by on_headers; 0 = no body accepted */
    char *body;
    size_t body_len;
    /* Streaming body: when on_headers sets sink, body bytes go to it as they arrive and nothing
     * is kept in memory (body_limit does not apply). A non-zero return stops delivery: the rest
     * of the body is read and discarded (up to a bound, then the connection is closed) and
     * on_request runs as usual, so it can answer with the error the sink recorded. */
    int (*sink)(struct req *r, const char *data, size_t len);
    int sink_stopped;
    uint64_t body_received;      /* bytes of body seen so far (after HTTP transfer decoding) */
    /* Decided by the app. */
    struct resp *early;          /* set by on_headers to refuse */
    void *app_state;             /* the app's per-request data (route match, principal) */
    void *app_state_s3;          /* the S3 endpoint's, for its body sink */
    const char *log_principal;   /* shown in the access log (an App ID, never a secret) */
    /* Filled in for the access log. */
    int status;
    size_t resp_bytes;
    void *conn_;                 /* the server's connection handle */
};

/* One application on the front door (the S3 endpoint, the Portal API, the sign-in pages, the
 * viewer). The server offers each request head to the mounts in their order, nginx/h2o style: a
 * mount whose prefixes do not match is skipped; otherwise its on_headers either claims the request
 * (returns 1, having set r->app_state, the body limit or sink, or r->early to refuse) or declines
 * (returns 0, having changed nothing), and the next mount is asked. A request no mount claims is
 * answered 404 in the JSON error shape. */
struct http_mount {
    const char *name;
    /* NULL-terminated; "/api" matches "/api" and everything under "/api/". NULL: every path. */
    const char *const *prefixes;
    int (*on_headers)(struct req *r, void *ctx);
    /* The whole request is in: the answer. Called only for requests on_headers claimed. */
    struct resp *(*on_request)(struct req *r, void *ctx);
    void *ctx;
};

#define HTTP_MAX_MOUNTS 8

struct http_app {
    struct http_mount mounts[HTTP_MAX_MOUNTS];
    size_t nmounts;
};

/* Appends m to app; returns 0, or -1 when app is full. */
int http_mount_add(struct http_app *app, const struct http_mount *m);

/* Edge limits: the defaults when a field is 0 (HTTP_DEFAULT_*), documented in operations.md. */
#define HTTP_DEFAULT_MAX_CONNECTIONS 1000
#define HTTP_DEFAULT_MAX_PER_IP 256
#define HTTP_DEFAULT_HEADER_TIMEOUT_S 10
#define HTTP_DEFAULT_IDLE_TIMEOUT_S 60
#define HTTP_BODY_MIN_BYTES 1024     /* a body brings at least this much per header timeout */
#define HTTP_MAX_URL 8192            /* longer request targets: 414 */
#define HTTP_MAX_HEAD (32u << 10)    /* larger request heads: 431 */

struct http_config {
    const char *listen;          /* "HOST:PORT"; port 0 picks a free one */
    unsigned threads;            /* pool size */
    unsigned idle_timeout_s;     /* no byte either way for this long: the connection is closed */
    unsigned header_timeout_s;   /* a request head must be complete within this */
    unsigned max_connections;    /* in all; over it: 503 */
    unsigned max_per_ip;         /* per client address; over it: 503; UINT_MAX: no cap */
    const char *tls_cert_pem;    /* both set: serve HTTPS */
    const char *tls_key_pem;
};

struct http_server;

/* Starts listening and serving; NULL with e set when the address cannot be bound. */
struct http_server *http_start(const struct http_config *cfg, const struct http_app *app,
                               struct err *e);

/* The bound TCP port. */
unsigned http_port(const struct http_server *s);

/* Stops accepting, waits up to drain_ms for requests in flight, then stops and frees s. */
void http_stop(struct http_server *s, int drain_ms);

/* A request header (case-insensitive name), or NULL. */
const char *http_header(const struct req *r, const char *name);

/* How many times the header appears in the request. */
int http_header_count(const struct req *r, const char *name);

/* A query-string argument, percent-decoded ('+' stays '+'), or NULL when absent. A name given
 * without "=" has the value "". The result lives in r's arena. */
const char *http_query(const struct req *r, const char *name);

/* 1 when the query string has the argument name (with or without a value). */
int http_query_has(const struct req *r, const char *name);

/* The first query-string argument whose name (as received) is not in allowed (NULL-terminated),
 * percent-decoded in r's arena; NULL when every name is allowed. */
const char *http_query_unknown(const struct req *r, const char *const *allowed);

/* The query string as received, "a=1&b" (no '?'), rebuilt from the parsed arguments in their
 * order; "" when there is none. Lives in r's arena. */
const char *http_raw_query(const struct req *r);

/* Calls fn for each request header in arrival order; stops when fn returns non-zero. */
void http_each_header(const struct req *r, int (*fn)(void *ctx, const char *name, const char *value),
                      void *ctx);

/* Percent-decodes s[0..n) into a new arena string ('+' stays '+'); NULL for a malformed escape
 * or an encoded NUL. */
char *http_pct_decode(struct arena *a, const char *s, size_t n);

/* A fresh response with no body, allocated in r's arena; NULL when out of memory. */
struct resp *resp_new(struct req *r, int status);

/* A response in the documented error shape {"code": code, "message": msg} (msg may echo the
 * request: it is made valid UTF-8); NULL when out of memory. */
struct resp *resp_json_error(struct req *r, int status, const char *code, const char *msg);

/* Sets the body (copied into r's arena) and its type; returns 0 or -1 when out of memory. */
int resp_set_body(struct req *r, struct resp *p, const char *ctype, const char *body, size_t len);

/* Adds a header (name and value copied into r's arena); returns 0, or -1 when full or OOM. */
int resp_add_header(struct req *r, struct resp *p, const char *name, const char *value);

/* Makes p's body the bytes [offset, offset+length) of fd, streamed from the file; p owns fd from
 * here on (it is closed after sending, or when the request ends unsent). Returns 0 or -1. */
int resp_set_file(struct req *r, struct resp *p, const char *ctype, int fd, uint64_t offset,
                  uint64_t length);

/* The value of a header already on p, or NULL. */
const char *resp_get_header(const struct resp *p, const char *name);

#endif
