/* server.c — libmicrohttpd daemon set-up and the access handler.
 * Two rules from measurement (c-service-notes.md §B.1): a response queued on the first
 * access-handler call makes MHD close the connection, so ordinary answers go out on a later call;
 * and that same early queueing is how a request is refused before its body (no 100 Continue). */
#include "http/http.h"
#include "http/guard.h"

#include "core/crypto.h"

#include "core/clock.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* A body larger than its limit is read and thrown away up to this much, so the client still
 * gets its 413; past it the connection is closed. */
#define DRAIN_MAX (8u << 20)

struct http_server {
    struct MHD_Daemon *d;
    struct http_app app;
    unsigned port;
    int tls;
    atomic_int inflight;
    struct guard *guard;
};

struct conn_state {
    struct req r;
    struct http_server *srv;
    const struct http_mount *mount;   /* the application serving the request (NULL: none) */
    struct guard_conn *gc;       /* NULL when the guard could not track the connection */
    size_t drained;
    size_t body_cap;             /* bytes r.body can hold (its allocation is one more, for a NUL) */
    int body_failed;
};

/* The peer address as text, for per-client limits (sign-in attempts). */
static void client_addr(struct MHD_Connection *c, char *out, size_t cap)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)cap);
}

static void request_id(struct req *r, struct MHD_Connection *c)
{
    const char *in = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-Id");
    if (in) {
        size_t n = strlen(in);
        int ok = n >= 8 && n < sizeof r->request_id;
        for (size_t i = 0; ok && i < n; i++)
            ok = (in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z') ||
                 (in[i] >= '0' && in[i] <= '9') || in[i] == '-' || in[i] == '_';
        if (ok) {
            memcpy(r->request_id, in, n + 1);
            return;
        }
    }
    if (id_new(ID_REQUEST, r->request_id))
        snprintf(r->request_id, sizeof r->request_id, "norandom");
}

/* Fallback when even the response object cannot be built. */
static enum MHD_Result queue_plain(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *m =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!m)
        return MHD_NO;
    MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result ret = MHD_queue_response(c, status, m);
    MHD_destroy_response(m);
    return ret;
}

static ssize_t no_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    (void)pos;
    (void)buf;
    (void)max;
    return MHD_CONTENT_READER_END_WITH_ERROR;
}

static const char oom_body[] = "{\"code\":\"unavailable\",\"message\":\"out of memory\"}";

static enum MHD_Result send_resp(struct MHD_Connection *c, struct req *r, struct resp *p)
{
    if (!p)
        return queue_plain(c, 503, oom_body);
    struct MHD_Response *m;
    if (p->fd > 0) {
        /* MHD takes the descriptor and closes it when done with the response. */
        m = MHD_create_response_from_fd_at_offset64(p->fd_length, p->fd, p->fd_offset);
        if (m)
            p->fd = 0;
    } else if (p->head_length > 0 && strcmp(r->method, "HEAD") == 0)
        /* MHD sends no body for HEAD; the reader is never called, the size is announced. */
        m = MHD_create_response_from_callback((uint64_t)p->head_length, 4096, no_body, NULL, NULL);
    else
        m = MHD_create_response_from_buffer(p->len, (void *)p->body, MHD_RESPMEM_MUST_COPY);
    if (!m)
        return queue_plain(c, 503, oom_body);
    if (p->content_type)
        MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, p->content_type);
    for (int i = 0; i < p->nhdr; i++)
        MHD_add_response_header(m, p->hdr[i].name, p->hdr[i].value);
    MHD_add_response_header(m, "X-Request-Id", r->request_id);
    r->status = p->status;
    r->resp_bytes = p->fd_length ? p->fd_length : p->len;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)p->status, m);
    MHD_destroy_response(m);
    return ret;
}

static struct resp *too_large(struct req *r)
{
    char msg[120];
    snprintf(msg, sizeof msg, "request body exceeds the limit of %zu bytes for this route",
             r->body_limit);
    return resp_json_error(r, 413, "invalid_argument", msg);
}

/* What the edge refuses on sight, before routing: NULL when the request may go on. */
static struct resp *edge_refusal(struct MHD_Connection *c, struct conn_state *st, const char *url)
{
    struct req *r = &st->r;
    if (st->gc && guard_over(st->gc)) {
        struct resp *p = resp_json_error(r, 503, "unavailable",
                                    "the server is at its connection limit; retry shortly");
        if (p) {
            resp_add_header(r, p, "Retry-After", "1");
            resp_add_header(r, p, "Connection", "close");
        }
        return p;
    }
    if (strlen(url) > HTTP_MAX_URL)
        return resp_json_error(r, 414, "invalid_argument", "the request target is too long");
    const union MHD_ConnectionInfo *hs =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (hs && hs->header_size > HTTP_MAX_HEAD)
        return resp_json_error(r, 431, "invalid_argument", "the request head is too large");
    /* Both framings at once is how requests are smuggled past a proxy (RFC 9112 §6.3). */
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding") &&
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length"))
        return resp_json_error(r, 400, "invalid_argument",
                          "Content-Length and Transfer-Encoding must not both be sent");
    if (!r->path)
        return resp_json_error(r, 400, "invalid_argument", "malformed percent-encoding in the path");
    return NULL;
}

static struct guard_conn *conn_guard(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Appends a body piece to the in-memory copy, growing it within body_limit. */
static int body_append(struct conn_state *st, const char *data, size_t n)
{
    struct req *r = &st->r;
    if (r->body_len + n > st->body_cap) {
        size_t cap = st->body_cap ? st->body_cap : 4096;
        if (!st->body_cap && r->content_length > 0)
            cap = (size_t)r->content_length;   /* the exact size is known up front */
        while (cap < r->body_len + n)
            cap *= 2;
        if (cap > r->body_limit)
            cap = r->body_limit;   /* body_len + n <= body_limit was checked by the caller */
        char *nb = arena_alloc(r->arena, cap + 1);
        if (!nb)
            return -1;
        if (r->body_len)
            memcpy(nb, r->body, r->body_len);
        r->body = nb;
        st->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    return 0;
}

int http_mount_add(struct http_app *app, const struct http_mount *m)
{
    if (app->nmounts >= HTTP_MAX_MOUNTS)
        return -1;
    app->mounts[app->nmounts++] = *m;
    return 0;
}

static int prefix_match(const char *const *prefixes, const char *path)
{
    if (!prefixes)
        return 1;
    for (; *prefixes; prefixes++) {
        size_t n = strlen(*prefixes);
        if (strncmp(path, *prefixes, n) == 0 && (path[n] == '\0' || path[n] == '/'))
            return 1;
    }
    return 0;
}

/* The first mount that claims r, or NULL when every one declined. */
static const struct http_mount *pick_mount(const struct http_app *app, struct req *r)
{
    for (size_t i = 0; i < app->nmounts; i++) {
        const struct http_mount *m = &app->mounts[i];
        if (prefix_match(m->prefixes, r->path) && m->on_headers(r, m->ctx))
            return m;
    }
    return NULL;
}

/* 404 for a request no application claimed (the message echoes the request). */
static struct resp *no_route(struct req *r)
{
    char msg[200];
    snprintf(msg, sizeof msg, "no route for %.16s %.150s", r->method, r->path);
    return resp_json_error(r, 404, "not_found", msg);
}

static int has_body(struct MHD_Connection *c, struct req *r)
{
    if (r->content_length > 0)
        return 1;
    const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
    return te && strcasecmp(te, "identity") != 0;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls)
{
    struct http_server *srv = cls;
    (void)version;
    struct conn_state *st = *con_cls;

    if (!st) {
        /* First call: the head is in, no body byte has been read. */
        struct arena *a = arena_new();
        if (!a)
            return MHD_NO;
        st = arena_alloc(a, sizeof *st);
        if (!st) {
            arena_free(a);
            return MHD_NO;
        }
        *con_cls = st;
        atomic_fetch_add(&srv->inflight, 1);
        st->srv = srv;
        st->gc = conn_guard(c);
        guard_head_done(st->gc);
        struct req *r = &st->r;
        r->arena = a;
        r->conn_ = c;
        r->tls = srv->tls;
        client_addr(c, r->client_addr, sizeof r->client_addr);
        r->start_ns = clock_mono_ns();
        request_id(r, c);
        r->method = arena_strdup(a, method);
        r->raw_path = arena_strdup(a, url);
        r->path = http_pct_decode(a, url, strlen(url));
        if (!r->method || !r->raw_path)
            return send_resp(c, r, NULL);
        r->content_length = -1;
        struct resp *refuse = edge_refusal(c, st, url);
        if (refuse || !r->path) {
            /* Answered now, on the first call: MHD reads no body and closes afterwards. */
            if (!r->path)
                r->path = "/";
            guard_answering(st->gc);
            return send_resp(c, r, refuse);
        }
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            char *end;
            unsigned long long v = strtoull(cl, &end, 10);
            if (*cl && !*end)
                r->content_length = (int64_t)(v > INT64_MAX ? INT64_MAX : v);
        }
        st->mount = pick_mount(&srv->app, r);
        if (!st->mount && !r->early)
            r->early = no_route(r);
        if (!r->early && !r->sink && r->content_length > 0 &&
            (uint64_t)r->content_length > r->body_limit)
            r->early = too_large(r);
        /* Refuse now, before the body: MHD sends no 100 Continue and closes afterwards. */
        if (r->early && has_body(c, r)) {
            guard_answering(st->gc);
            return send_resp(c, r, r->early);
        }
        return MHD_YES;
    }

    struct req *r = &st->r;
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        r->body_received += n;
        guard_body(st->gc, n);
        if (r->sink && !r->early && !r->sink_stopped) {
            if (r->sink(r, upload, n) != 0)
                r->sink_stopped = 1;
            return MHD_YES;
        }
        if (r->early || st->body_failed || r->sink_stopped) {
            st->drained += n;
            return st->drained > DRAIN_MAX ? MHD_NO : MHD_YES;
        }
        if (r->body_len + n > r->body_limit) {
            r->early = too_large(r);
            st->drained = r->body_len + n;
            return MHD_YES;
        }
        if (body_append(st, upload, n))
            st->body_failed = 1;
        return MHD_YES;
    }

    /* Final call: the whole request is in. */
    guard_answering(st->gc);
    if (st->body_failed)
        return send_resp(c, r, NULL);
    if (r->early || !st->mount)
        return send_resp(c, r, r->early);
    if (!r->body)
        r->body = "";
    return send_resp(c, r, st->mount->on_request(r, st->mount->ctx));
}

/* The request target for the access log: as received, with every byte that could end or forge a
 * log field (controls, space, quote, backslash, non-ASCII) written as %XX, at most cap-1 bytes. */
static void log_target(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    /* Each step leaves room for one more escape (3), the "..." mark (3) and the NUL. */
    for (; in && *in && o + 7 <= cap; in++) {
        unsigned char ch = (unsigned char)*in;
        if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
            out[o++] = '%';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        } else
            out[o++] = (char)ch;
    }
    if (in && *in && o + 4 <= cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    if (cap)
        out[o] = '\0';
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    (void)c;
    struct conn_state *st = *con_cls;
    if (!st)
        return;
    struct req *r = &st->r;
    double ms = (double)(clock_mono_ns() - r->start_ns) / 1e6;
    char target[600], method[40];
    log_target(r->raw_path ? r->raw_path : "-", target, sizeof target);
    log_target(r->method ? r->method : "-", method, sizeof method);
    log_info("access rid=%s method=%s path=%s status=%d bytes=%zu ms=%.2f app=%s%s", r->request_id,
             method, target, r->status, r->resp_bytes, ms,
             r->log_principal ? r->log_principal : "-",
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    guard_request_done(st->gc);
    arena_free(r->arena);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* Every accepted connection is known to the guard from accept to close. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct http_server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fi =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        char ip[48];
        client_addr(c, ip, sizeof ip);
        *socket_context = fi ? guard_open(srv->guard, fi->connect_fd, ip) : NULL;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_close(*socket_context);
        *socket_context = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    log_debug("mhd: %s", line);
}

/* MHD would percent-decode the path and query in place; signatures need them as received, so
 * decoding is done here instead (http_pct_decode), once, where it is needed. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, int *v6,
                        struct err *e)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || strlen(colon + 1) == 0)
        return err_set(e, RC_INVALID, "--listen must be HOST:PORT (got \"%s\")", listen);
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host)
        return err_set(e, RC_INVALID, "--listen host is too long");
    memcpy(host, listen, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl >= 2 && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (*end || port > 65535)
        return err_set(e, RC_INVALID, "--listen port must be 0..65535 (got \"%s\")", colon + 1);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    char portstr[8];
    snprintf(portstr, sizeof portstr, "%lu", port);
    int gai = getaddrinfo(host[0] ? host : NULL, portstr, &hints, &res);
    if (gai || !res)
        return err_set(e, RC_INVALID, "cannot resolve listen host \"%s\": %s", host,
                       gai_strerror(gai));
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return RC_OK;
}

/* Each connection is a descriptor: make sure the process may hold as many as the caps allow. */
static void raise_fd_limit(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= want)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want)
        log_warn("the open-file limit is %llu (hard), below the %u the connection caps need",
                 (unsigned long long)rl.rlim_cur, want);
}

struct http_server *http_start(const struct http_config *cfg, const struct http_app *app,
                               struct err *e)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    int v6 = 0;
    if (parse_listen(cfg->listen, &ss, &sslen, &v6, e) != RC_OK)
        return NULL;
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    srv->app = *app;
    struct guard_limits lim = {
        .max_connections = cfg->max_connections ? cfg->max_connections : HTTP_DEFAULT_MAX_CONNECTIONS,
        .max_per_ip = cfg->max_per_ip == UINT_MAX ? 0
                      : cfg->max_per_ip               ? cfg->max_per_ip
                                                      : HTTP_DEFAULT_MAX_PER_IP,
        .header_timeout_s = cfg->header_timeout_s ? cfg->header_timeout_s
                                                  : HTTP_DEFAULT_HEADER_TIMEOUT_S,
        .body_min_bytes = HTTP_BODY_MIN_BYTES,
    };
    /* The library's own caps sit a little above ours: connections between the two are answered
     * 503 by us; past the library's, the operating system's accept is all a client gets. */
    unsigned mhd_limit = lim.max_connections + guard_slack(lim.max_connections);
    unsigned mhd_per_ip = lim.max_per_ip ? lim.max_per_ip + guard_slack(lim.max_per_ip) : 0;
    raise_fd_limit(mhd_limit + 256);
    srv->guard = guard_new(&lim);
    if (!srv->guard) {
        err_set(e, RC_NOMEM, "cannot start the connection guard");
        free(srv);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (v6)
        flags |= MHD_USE_IPv6;
    int tls = cfg->tls_cert_pem && cfg->tls_key_pem;
    if (tls)
        flags |= MHD_USE_TLS;
    srv->tls = tls;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 256 * 1024, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT,
         cfg->idle_timeout_s ? cfg->idle_timeout_s : HTTP_DEFAULT_IDLE_TIMEOUT_S, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, mhd_limit, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, mhd_per_ip, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv},
        {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL},
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, (void *)cfg->tls_cert_pem},
        {tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, (void *)cfg->tls_key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->d = MHD_start_daemon(flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_ARRAY, opts,
                              MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL, MHD_OPTION_END);
    if (!srv->d) {
        err_set(e, RC_IO, "cannot listen on %s (address in use, not permitted, or bad TLS files)",
                cfg->listen);
        guard_free(srv->guard);
        free(srv);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : 0;
    return srv;
}

unsigned http_port(const struct http_server *s)
{
    return s->port;
}

void http_stop(struct http_server *s, int drain_ms)
{
    if (!s)
        return;
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    int64_t deadline = clock_mono_ms() + drain_ms;
    while (atomic_load(&s->inflight) > 0 && clock_mono_ms() < deadline) {
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->d);
    guard_free(s->guard);
    free(s);
}

const char *http_header(const struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn_, MHD_HEADER_KIND, name);
}

char *http_pct_decode(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[o++] = s[i];
            continue;
        }
        if (i + 2 >= n)
            return NULL;
        int hi = crypto_hexval(s[i + 1]), lo = crypto_hexval(s[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return NULL;
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return out;
}

struct arg_find {
    const char *name;
    const char *value;
    int found;
};

static enum MHD_Result find_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    struct arg_find *f = cls;
    (void)kind;
    if (!f->found && strcmp(key, f->name) == 0) {
        f->found = 1;
        f->value = value ? value : "";
        return MHD_NO;
    }
    return MHD_YES;
}

/* Query names are compared as received: the names this service reads are plain ASCII. */
const char *http_query(const struct req *r, const char *name)
{
    struct arg_find f = {name, NULL, 0};
    MHD_get_connection_values(r->conn_, MHD_GET_ARGUMENT_KIND, find_arg, &f);
    return f.found ? http_pct_decode(r->arena, f.value, strlen(f.value)) : NULL;
}

int http_query_has(const struct req *r, const char *name)
{
    struct arg_find f = {name, NULL, 0};
    MHD_get_connection_values(r->conn_, MHD_GET_ARGUMENT_KIND, find_arg, &f);
    return f.found;
}

struct unknown_find {
    const char *const *allowed;
    const char *found;
};

static enum MHD_Result find_unknown(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    struct unknown_find *f = cls;
    (void)kind;
    (void)value;
    for (const char *const *a = f->allowed; *a; a++)
        if (strcmp(key, *a) == 0)
            return MHD_YES;
    f->found = key;
    return MHD_NO;
}

const char *http_query_unknown(const struct req *r, const char *const *allowed)
{
    struct unknown_find f = {allowed, NULL};
    MHD_get_connection_values(r->conn_, MHD_GET_ARGUMENT_KIND, find_unknown, &f);
    return f.found ? http_pct_decode(r->arena, f.found, strlen(f.found)) : NULL;
}

struct raw_q {
    struct arena *a;
    char *out;
    size_t len, cap;
    int failed;
};

static enum MHD_Result add_raw(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    struct raw_q *q = cls;
    (void)kind;
    size_t need = q->len + strlen(key) + (value ? strlen(value) + 1 : 0) + 2;
    if (need > q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 256;
        while (cap < need)
            cap *= 2;
        char *n = arena_alloc(q->a, cap);
        if (!n) {
            q->failed = 1;
            return MHD_NO;
        }
        if (q->len)
            memcpy(n, q->out, q->len);
        q->out = n;
        q->cap = cap;
    }
    int w = snprintf(q->out + q->len, q->cap - q->len, "%s%s%s%s", q->len ? "&" : "", key,
                     value ? "=" : "", value ? value : "");
    q->len += (size_t)w;
    return MHD_YES;
}

const char *http_raw_query(const struct req *r)
{
    struct raw_q q = {r->arena, NULL, 0, 0, 0};
    MHD_get_connection_values(r->conn_, MHD_GET_ARGUMENT_KIND, add_raw, &q);
    if (q.failed)
        return NULL;
    return q.out ? q.out : "";
}

struct each_hdr {
    int (*fn)(void *ctx, const char *name, const char *value);
    void *ctx;
};

static enum MHD_Result each_hdr_cb(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct each_hdr *h = cls;
    (void)kind;
    return h->fn(h->ctx, key, value ? value : "") ? MHD_NO : MHD_YES;
}

void http_each_header(const struct req *r, int (*fn)(void *ctx, const char *name, const char *value),
                      void *ctx)
{
    struct each_hdr h = {fn, ctx};
    MHD_get_connection_values(r->conn_, MHD_HEADER_KIND, each_hdr_cb, &h);
}

struct count_ctx {
    const char *name;
    int n;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    struct count_ctx *c = cls;
    (void)kind;
    (void)value;
    if (strcasecmp(key, c->name) == 0)
        c->n++;
    return MHD_YES;
}

int http_header_count(const struct req *r, const char *name)
{
    struct count_ctx c = {name, 0};
    MHD_get_connection_values(r->conn_, MHD_HEADER_KIND, count_header, &c);
    return c.n;
}
