/* fuzz_http.c — libFuzzer target for the whole request path: the input is the raw bytes a client
 * sends on one TCP connection (request line, headers, framing, bodies, pipelined requests), fed
 * to the real server running in this process — libmicrohttpd, http/server.c, the API's dispatch
 * (route, authenticate, rate limit, scope, body limit), the handlers, the viewer and the S3
 * endpoint, all built with ASan/UBSan, so a memory error in any server thread ends the run with
 * the input that caused it.
 * LLVMFuzzerInitialize assembles the app as `guidepost serve` does (src/cli/serve.c) on a
 * temporary data folder, with one API token of fixed id and value holding every scope, so the
 * seeds that carry it (tests/fuzz/seeds/fuzz_http/) reach the authenticated handlers. Each input:
 * connect, send it, shut the write side, read until the server closes or falls silent (2 s at
 * most), close; then one barrier request (see LLVMFuzzerTestOneInput).
 * A request can revoke, rotate or re-scope that token; it is put back before each input so the
 * authenticated paths stay reachable for the whole run.
 * Seeds: requests as curl and the AWS CLI send them; dictionary: tests/fuzz/fuzz_http.dict. */
#include <errno.h>
#include <limits.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "auth/scopes.h"
#include "blob/blob.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/log.h"
#include "http/http.h"
#include "ratelimit/ratelimit.h"
#include "s3/s3_api.h"
#include "store/store.h"
#include "viewer/viewer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The token the seeds carry (X-Plntr-App-Id / X-Plntr-App-Token). */
#define FUZZ_APP_ID "5e1f7c2a-9b3d-4e6f-8a1b-2c3d4e5f6a7b"
#define FUZZ_TOKEN                                                                                 \
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmdXp6In0.Z3VpZGVwb3N0LWZ1enotdG9rZW4tdmFsdWU"

#define EXCHANGE_MS 2000    /* the longest one input may take: send, then read to the close */
/* libmicrohttpd does not notice a client's half-close on a kept-alive connection, or in the
 * middle of a request, until its connection timeout; waiting for the close would cost most inputs
 * the whole EXCHANGE_MS. Instead the exchange ends once all of the input is sent, no app callback
 * is running and nothing has come back for IDLE_MS: on loopback the server reads what was sent at
 * once, and a response follows its handler at once, so a longer silence means it is waiting for
 * bytes that will never come. */
#define IDLE_MS 5

static char data_dir[512];
static char scopes_all[256];
static unsigned char token_hash[32];
static unsigned port;
static struct http_server *srv;
static sqlite3 *db;             /* the harness's own connection, to put the token back */
static sqlite3_stmt *token_ok, *token_fix;
/* The mounts as s3_mount, api_mount and viewer_mount made them; the server gets copies whose
 * callbacks count themselves in busy and then call these. */
static struct http_mount real[HTTP_MAX_MOUNTS];
static atomic_int busy;         /* app callbacks running now */

static int counted_on_headers(struct req *r, void *ctx)
{
    const struct http_mount *m = ctx;
    atomic_fetch_add(&busy, 1);
    int claimed = m->on_headers(r, m->ctx);
    atomic_fetch_sub(&busy, 1);
    return claimed;
}

static struct resp *counted_on_request(struct req *r, void *ctx)
{
    const struct http_mount *m = ctx;
    atomic_fetch_add(&busy, 1);
    struct resp *p = m->on_request(r, m->ctx);
    atomic_fetch_sub(&busy, 1);
    return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* The server is left running: stopping it ends its threads, and what OpenSSL keeps per thread
 * would then show up as leaked in LeakSanitizer's report at exit. */
static void cleanup(void)
{
    sqlite3_finalize(token_ok);
    sqlite3_finalize(token_fix);
    sqlite3_close(db);
    if (data_dir[0])
        nftw(data_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "fuzz_http: %s: %s\n", what, msg);
    exit(1);
}

/* Creates the fixed token through the store API, as `guidepost token create` stores one. */
static void create_token(void)
{
    struct store_config scfg = {.data_dir = data_dir};
    struct store *s = NULL;
    struct err e = {0};
    if (store_configure(&scfg, &e) != RC_OK || store_open(&scfg, &s, &e) != RC_OK ||
        store_migrate(s, NULL, &e) != RC_OK)
        die("store", e.msg);
    scope_set all = 0;
    for (int i = 0; i < SCOPE__ALL; i++)
        all |= SCOPE_BIT(i);
    scope_format(all, scopes_all, sizeof scopes_all);
    crypto_sha256(FUZZ_TOKEN, strlen(FUZZ_TOKEN), token_hash);
    int64_t now = clock_now_ms();
    struct token_row t = {
        .id = FUZZ_APP_ID,
        .name = "fuzz",
        .description = "fuzz_http's token",
        .scopes = scopes_all,
        .hint = "...ZhbHV",
        .expires_at = now + 10LL * 365 * 86400 * 1000,
        .created_at = now,
        .updated_at = now,
    };
    memcpy(t.hash, token_hash, sizeof t.hash);
    if (store_token_insert(s, &t, &e) != RC_OK)
        die("token", e.msg);
    store_close(s);
}

/* Prepares the two statements that check and restore the token row. A direct connection rather
 * than the store API: the API has no "un-revoke", and the check runs before every input. */
static void open_token_fixer(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/guidepost.db", data_dir);
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("sqlite", sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM api_tokens WHERE id = ?1 AND secret_hash = ?2 AND "
                           "scopes = ?3 AND revoked_at IS NULL AND prev_hash IS NULL",
                           -1, &token_ok, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "UPDATE api_tokens SET secret_hash = ?2, scopes = ?3, revoked_at = NULL, "
                           "prev_hash = NULL, prev_expires_at = NULL WHERE id = ?1",
                           -1, &token_fix, NULL) != SQLITE_OK)
        die("sqlite", sqlite3_errmsg(db));
}

static void restore_token(void)
{
    sqlite3_stmt *st[2] = {token_ok, token_fix};
    for (int i = 0; i < 2; i++) {
        sqlite3_bind_text(st[i], 1, FUZZ_APP_ID, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st[i], 2, token_hash, sizeof token_hash, SQLITE_STATIC);
        sqlite3_bind_text(st[i], 3, scopes_all, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st[i]);
        int fine = i == 0 && rc == SQLITE_ROW && sqlite3_column_int(st[i], 0) == 1;
        sqlite3_reset(st[i]);
        if (fine)
            return;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* A peer that closes early must not kill the fuzzer with SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    log_set_level(LOG_ERROR);
    /* Removed at exit; a crash leaves it behind, so tests/fuzz/brief points TMPDIR at a folder
     * of its own and empties it afterwards. */
    const char *tmp = getenv("TMPDIR");
    int dl = snprintf(data_dir, sizeof data_dir, "%s/guidepost-fuzz-http-XXXXXX",
                      tmp && *tmp ? tmp : "/tmp");
    if (dl < 0 || (size_t)dl >= sizeof data_dir)
        die("TMPDIR", "path too long");
    if (!mkdtemp(data_dir))
        die("mkdtemp", strerror(errno));
    atexit(cleanup);
    create_token();
    open_token_fixer();

    struct err e = {0};
    char blob_dir[600];
    snprintf(blob_dir, sizeof blob_dir, "%s/blobs", data_dir);
    struct blob_store *blobs;
    if (blob_open(blob_dir, &blobs, &e) != RC_OK)
        die("blobs", e.msg);
    /* Configuration as `guidepost serve` defaults it, except: no rate limit (the fuzzer sends
     * thousands of requests a second with one token) and no sign-in limit, for the same reason. */
    /* The bucket is the earlier default, which the seeds were recorded with; the hosts make
     * "Host: <bucket>.localhost" a virtual-hosted request (seed vhost-put-object). */
    static const char *const s3hosts[] = {"127.0.0.1", "localhost"};
    static struct s3_config s3cfg = {
        .bucket = "stitch.guidepost.local",
        .hosts = s3hosts,
        .n_hosts = 2,
        .region = "us-east-1",
        .max_object = 5ULL << 30,
        .max_xml = 1u << 20,
    };
    s3cfg.blobs = blobs;
    static struct viewer_config vcfg = {.public_url = "http://127.0.0.1"};
    vcfg.blobs = blobs;
    static struct api_config acfg = {
        .public_url = "http://127.0.0.1",
        .json_body_limit = 262144,
        .s3_endpoint = "http://127.0.0.1",
        .max_filesize = 53687091200LL,
        .stage_ms = 1000,
    };
    acfg.rl = rl_new(0);
    acfg.s3 = &s3cfg;
    acfg.blobs = blobs;
    if (!acfg.rl)
        die("ratelimit", "out of memory");
    /* The front door in serve's order: S3, the API and sign-in pages, the viewer. */
    struct http_app app = {0};
    if (s3_mount(&s3cfg, &app) || api_mount(&acfg, &app) || viewer_mount(&vcfg, &app))
        die("mount", "too many applications");
    for (size_t i = 0; i < app.nmounts; i++) {
        real[i] = app.mounts[i];
        app.mounts[i].on_headers = counted_on_headers;
        app.mounts[i].on_request = counted_on_request;
        app.mounts[i].ctx = &real[i];
    }
    /* One thread (see LLVMFuzzerTestOneInput); every connection comes from 127.0.0.1. */
    struct http_config hcfg = {
        .listen = "127.0.0.1:0",
        .threads = 1,
        .idle_timeout_s = 2,
        .header_timeout_s = 2,
        .max_per_ip = UINT_MAX,
    };
    if (!(srv = http_start(&hcfg, &app, &e)))
        die("http_start", e.msg);
    port = http_port(srv);
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd to be ready for events until the deadline; 1 ready, 0 timed out or error. */
static int wait_for(int fd, short events, int64_t deadline)
{
    int64_t left = deadline - now_ms();
    if (left <= 0)
        return 0;
    struct pollfd p = {.fd = fd, .events = events};
    int n;
    do
        n = poll(&p, 1, (int)left);
    while (n < 0 && errno == EINTR);
    return n > 0;
}

/* Sends data on a new connection, shuts the write side and reads the answer until the server
 * closes, or (unless until_close) until it falls silent; EXCHANGE_MS at most. */
static void exchange(const uint8_t *data, size_t size, int until_close)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        abort();
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int64_t deadline = now_ms() + EXCHANGE_MS;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 &&
        (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline))) {
        close(fd);
        return;
    }
    /* Send while reading, so a server that answers (or refuses) before the end of a long input
     * never leaves both sides blocked on full buffers. */
    size_t sent = 0;
    int wr_open = 1;
    int64_t last_event = 0;     /* the last byte received, or the end of sending */
    char sink[16384];
    for (;;) {
        if (wr_open && sent == size) {
            shutdown(fd, SHUT_WR);
            wr_open = 0;
            last_event = now_ms();
        }
        int64_t now = now_ms(), left = deadline - now;
        if (left <= 0)
            break;
        if (!wr_open && !until_close) {
            if (now - last_event >= IDLE_MS && atomic_load(&busy) == 0)
                break;
            if (left > IDLE_MS)
                left = IDLE_MS;
        }
        struct pollfd p = {.fd = fd, .events = (short)(POLLIN | (wr_open ? POLLOUT : 0))};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0)
            continue;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t got = recv(fd, sink, sizeof sink, 0);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
                break;   /* the server closed: the exchange is over */
            if (got > 0)
                last_event = now_ms();
        }
        if (wr_open && (p.revents & POLLOUT)) {
            ssize_t w = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
            if (w > 0)
                sent += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR) {
                wr_open = 0;   /* refused mid-body: read what the server says, then stop */
                last_event = now_ms();
            }
        }
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The server runs one thread, which serves its connections in the order their bytes come in:
     * once a request sent after the input has been answered, the input's bytes have been read and
     * handled, and a crash they cause is reported with this input, not a later one. */
    static const char barrier[] = "GET /healthz HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n";
    restore_token();
    exchange(data, size, 0);
    exchange((const uint8_t *)barrier, sizeof barrier - 1, 1);
    return 0;
}
