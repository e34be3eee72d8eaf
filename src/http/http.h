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
    int nhdr;
    struct {
        const char *name, *value;
    } hdr[HTTP_MAX_RESP_HEADERS];
};

struct req {
    struct arena *arena;
    const char *method;          /* as sent; HEAD is routed like GET */
    const char *path;            /* percent-decoded path, without the query */
    char request_id[ID_MAX];
    int tls;                     /* 1 when the connection is HTTPS */
    int64_t start_ns;
    /* Body: a capped in-memory copy. */
    int64_t content_length;      /* -1 when absent (chunked or no body) */
    size_t body_limit;           /* set by on_headers; 0 = no body accepted */
    char *body;
    size_t body_len;
    /* Decided by the app. */
    struct resp *early;          /* set by on_headers to refuse */
    void *app_state;             /* the app's per-request data (route match, principal) */
    const char *log_principal;   /* shown in the access log (an App ID, never a secret) */
    /* Filled in for the access log. */
    int status;
    size_t resp_bytes;
    void *conn_;                 /* the server's connection handle */
};

struct http_app {
    void (*on_headers)(struct req *r, void *ctx);
    struct resp *(*on_request)(struct req *r, void *ctx);
    void *ctx;
};

struct http_config {
    const char *listen;          /* "HOST:PORT"; port 0 picks a free one */
    unsigned threads;            /* pool size */
    unsigned conn_timeout_s;
    unsigned max_connections;
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

/* A query-string argument (decoded), or NULL. Absent and "?name" without "=" both give NULL. */
const char *http_query(const struct req *r, const char *name);

/* A fresh response with no body, allocated in r's arena; NULL when out of memory. */
struct resp *resp_new(struct req *r, int status);

/* Sets the body (copied into r's arena) and its type; returns 0 or -1 when out of memory. */
int resp_set_body(struct req *r, struct resp *p, const char *ctype, const char *body, size_t len);

/* Adds a header (name and value copied into r's arena); returns 0, or -1 when full or OOM. */
int resp_add_header(struct req *r, struct resp *p, const char *name, const char *value);

/* The value of a header already on p, or NULL. */
const char *resp_get_header(const struct resp *p, const char *name);

#endif
