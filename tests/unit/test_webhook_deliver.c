/* test_webhook_deliver.c — the delivery engine end to end against a loopback HTTP receiver run
 * by the test: events and deliveries are written into the SQLite file directly (the emitting half
 * owns their creation), each attempt runs through jobs_run_once on the webhook queue, and the
 * test checks what the receiver got (headers, signature, the exact body, one kept-alive
 * connection) and what was recorded (attempts, status, next attempt, the response body): 200
 * delivered; 500 retried 10-15 minutes later on the test clock, failed after the fifth try; 404
 * dropped; 410 under the standard policy disabling the URL; a hanging receiver timed out and
 * retried; the SSRF guard; a stale job; the per-URL cap; resend; two signatures after a rotation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/ids.h"
#include "core/version.h"
#include "jobs/jobs.h"
#include "store/webhook_delivery.h"
#include "store_fixture.h"
#include "webhooks/deliver.h"
#include "webhooks/inflight.h"
#include "webhooks/secret.h"
#include "webhooks/sign.h"
#include "webhooks/webhooks.h"

#define MIN 60000LL

/* ---- the receiver: one connection at a time, keep-alive, answering what the test sets ---- */

struct receiver {
    int fd, port;
    pthread_t th;
    pthread_mutex_t mu;
    int status; /* what to answer; 0: read the request and hang past the timeout */
    int requests, connections;
    char id[64], ts[32], sig[512], ua[64], ctype[64];
    char body[4096];
    size_t body_len;
    int stop;
};

static struct receiver rx;

/* Reads one request (headers, then Content-Length bytes) from c into rx; -1 at EOF or error. */
static int read_request(int c, char *buf, size_t cap)
{
    size_t len = 0;
    char *end = NULL;
    while (!(end = memmem(buf, len, "\r\n\r\n", 4))) {
        if (len == cap)
            return -1;
        ssize_t n = read(c, buf + len, cap - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
    }
    size_t head = (size_t)(end - buf) + 4, clen = 0;
    pthread_mutex_lock(&rx.mu);
    rx.id[0] = rx.ts[0] = rx.sig[0] = rx.ua[0] = rx.ctype[0] = '\0';
    for (char *line = buf; line < end;) {
        char *nl = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
        *nl = '\0';
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            const char *v = colon + 1 + strspn(colon + 1, " ");
            if (!strcasecmp(line, "webhook-id"))
                snprintf(rx.id, sizeof rx.id, "%s", v);
            else if (!strcasecmp(line, "webhook-timestamp"))
                snprintf(rx.ts, sizeof rx.ts, "%s", v);
            else if (!strcasecmp(line, "webhook-signature"))
                snprintf(rx.sig, sizeof rx.sig, "%s", v);
            else if (!strcasecmp(line, "user-agent"))
                snprintf(rx.ua, sizeof rx.ua, "%s", v);
            else if (!strcasecmp(line, "content-type"))
                snprintf(rx.ctype, sizeof rx.ctype, "%s", v);
            else if (!strcasecmp(line, "content-length"))
                clen = strtoul(v, NULL, 10);
        }
        line = nl + 2;
    }
    pthread_mutex_unlock(&rx.mu);
    if (clen > sizeof rx.body)
        return -1;
    size_t have = len - head;
    memmove(buf, buf + head, have);
    while (have < clen) {
        ssize_t n = read(c, buf + have, cap - have);
        if (n <= 0)
            return -1;
        have += (size_t)n;
    }
    pthread_mutex_lock(&rx.mu);
    memcpy(rx.body, buf, clen);
    rx.body_len = clen;
    rx.requests++;
    pthread_mutex_unlock(&rx.mu);
    return 0;
}

static void *rx_main(void *arg)
{
    (void)arg;
    static char buf[65536];
    for (;;) {
        struct pollfd p = {.fd = rx.fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0) {
            if (rx.stop)
                return NULL;
            continue;
        }
        int c = accept(rx.fd, NULL, NULL);
        if (c < 0)
            continue;
        rx.connections++;
        while (!rx.stop && read_request(c, buf, sizeof buf) == 0) {
            pthread_mutex_lock(&rx.mu);
            int st = rx.status;
            pthread_mutex_unlock(&rx.mu);
            if (st == 0) { /* hang past the client's 1 s timeout, then drop the connection */
                struct timespec ts = {1, 500 * 1000 * 1000};
                nanosleep(&ts, NULL);
                break;
            }
            char resp[256];
            const char *body = st == 200 ? "thanks \xff" : "no";
            int n = snprintf(resp, sizeof resp,
                             "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nRetry-After: 7\r\n\r\n%s", st,
                             strlen(body), body);
            if (write(c, resp, (size_t)n) != n)
                break;
        }
        close(c);
    }
}

static void rx_start(void)
{
    memset(&rx, 0, sizeof rx);
    pthread_mutex_init(&rx.mu, NULL);
    rx.status = 200;
    rx.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(rx.fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(rx.fd, (struct sockaddr *)&a, &len);
    rx.port = ntohs(a.sin_port);
    assert_int_equal(listen(rx.fd, 16), 0);
    pthread_create(&rx.th, NULL, rx_main, NULL);
}

static void rx_stop(void)
{
    rx.stop = 1;
    pthread_join(rx.th, NULL);
    close(rx.fd);
    pthread_mutex_destroy(&rx.mu);
}

static void rx_set(int status)
{
    pthread_mutex_lock(&rx.mu);
    rx.status = status;
    pthread_mutex_unlock(&rx.mu);
}

/* ---- fixture: a migrated store, the receiver, the test clock, a delivery queue ---- */

static const int64_t T0 = 1796637600000LL; /* 2026-12-07T10:00:00Z */
static struct webhook_config cfg;
static struct job_queue q;
static char url[128];

static int wsetup(void **state)
{
    if (setup(state))
        return -1;
    struct fx *f = *state;
    struct err e = {0};
    struct store_config scfg = {.data_dir = f->dir};
    if (store_configure(&scfg, &e) != RC_OK)
        return -1;
    rx_start();
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rx.port);
    cfg = (struct webhook_config){
        .threads = 1, .policy = WEBHOOK_POLICY_PLATFORM, .timeout_s = 1, .allow_private = 1};
    webhook_job_queue(&cfg, &q);
    clock_set_ms(T0);
    clock_freeze(1);
    return 0;
}

static int wteardown(void **state)
{
    webhook_thread_release(); /* closes the kept-alive connection the receiver is reading */
    rx_stop();
    store_thread_release();
    clock_freeze(0);
    return teardown(state);
}

static sqlite3 *db_open(struct fx *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/guidepost.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void db_exec(struct fx *f, const char *sql)
{
    sqlite3 *db = db_open(f);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/* The integer result of sql (one row, one column); -1 for NULL. */
static int64_t db_int(struct fx *f, const char *sql)
{
    sqlite3 *db = db_open(f);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The text result of sql into out ("" for NULL). */
static void db_text(struct fx *f, const char *sql, char *out, size_t cap)
{
    sqlite3 *db = db_open(f);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static const char *const body = "{\"type\":\"ready\",\"eventId\":\"%s\",\"n\":\"caf\xc3\xa9\"}";

/* An event and one pending delivery of it to to_url for iGUIDE ig, due now, with its first job.
 * The ids come back in ev and whd. */
static void make_delivery(struct fx *f, const char *ig, const char *to_url, char ev[ID_MAX],
                          char whd[ID_MAX])
{
    assert_int_equal(id_new(ID_EVENT, ev), 0);
    assert_int_equal(id_new(ID_DELIVERY, whd), 0);
    int64_t now = clock_now_ms();
    char b[256], sql[1024];
    snprintf(b, sizeof b, body, ev);
    snprintf(sql, sizeof sql,
             "INSERT INTO webhook_events (id, type, iguide_id, body, created_at) "
             "VALUES ('%s', 'ready', '%s', '%s', %lld);"
             "INSERT INTO webhook_deliveries (id, event_id, iguide_id, url, status, "
             "next_attempt_at, created_at, updated_at) "
             "VALUES ('%s', '%s', '%s', '%s', 'pending', %lld, %lld, %lld);",
             ev, ig, b, (long long)now, whd, ev, ig, to_url, (long long)now, (long long)now,
             (long long)now);
    db_exec(f, sql);
    struct err e = {0};
    assert_int_equal(webhook_schedule(f->s, whd, 0, now, &e), RC_OK);
}

static enum rc run_once(void)
{
    struct err e = {0};
    enum rc rc = jobs_run_once(&q, 1, "test/webhooks/w0", &e);
    if (rc != RC_OK && rc != RC_DONE)
        fail_msg("jobs_run_once: %s %s", rc_name(rc), e.msg);
    return rc;
}

static int64_t del_int(struct fx *f, const char *whd, const char *col)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM webhook_deliveries WHERE id = '%s'", col, whd);
    return db_int(f, sql);
}

static void del_text(struct fx *f, const char *whd, const char *col, char *out, size_t cap)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM webhook_deliveries WHERE id = '%s'", col, whd);
    db_text(f, sql, out, cap);
}

/* The delivery's status is want. */
static void status_is(struct fx *f, const char *whd, const char *want)
{
    char txt[32];
    del_text(f, whd, "status", txt, sizeof txt);
    assert_string_equal(txt, want);
}

static void att_text(struct fx *f, const char *whd, int n, const char *col, char *out, size_t cap)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM webhook_attempts WHERE delivery_id = '%s' AND n = %d",
             col, whd, n);
    db_text(f, sql, out, cap);
}

static int64_t att_int(struct fx *f, const char *whd, int n, const char *col)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM webhook_attempts WHERE delivery_id = '%s' AND n = %d",
             col, whd, n);
    return db_int(f, sql);
}

/* The receiver's last request carries a valid signature by secret (at position pos). */
static void assert_signed_by(const char *secret, int pos)
{
    char want[WEBHOOK_SIG_LEN];
    struct err e = {0};
    pthread_mutex_lock(&rx.mu);
    assert_int_equal(
        webhook_sign(secret, rx.id, strtoll(rx.ts, NULL, 10), rx.body, rx.body_len, want, &e),
        RC_OK);
    const char *p = rx.sig;
    for (int i = 0; i < pos && p; i++)
        if ((p = strchr(p, ' ')))
            p++;
    assert_non_null(p);
    assert_memory_equal(p, want, strlen(want));
    pthread_mutex_unlock(&rx.mu);
}

/* ---- the tests ---- */

static void t_delivered(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], txt[512], want[256];
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(rx.requests, 1);
    assert_string_equal(rx.id, ev);
    snprintf(want, sizeof want, body, ev);
    assert_int_equal(rx.body_len, strlen(want));
    assert_memory_equal(rx.body, want, rx.body_len);
    assert_string_equal(rx.ua, "Guidepost/" GUIDEPOST_VERSION);
    assert_string_equal(rx.ctype, "application/json");
    /* The timestamp is the real clock's, not the (frozen, set) test clock's. */
    int64_t ts = strtoll(rx.ts, NULL, 10);
    assert_true(llabs(ts - (int64_t)time(NULL)) <= 5);
    struct err e = {0};
    const char *secret;
    assert_int_equal(webhook_secret_current(f->s, clock_now_ms(), f->a, &secret, &e), RC_OK);
    assert_int_equal(strncmp(secret, "whsec_", 6), 0);
    assert_int_equal(strlen(secret), 6 + 44);
    assert_null(strchr(rx.sig, ' '));
    assert_signed_by(secret, 0);
    status_is(f, whd, "delivered");
    assert_int_equal(del_int(f, whd, "attempts"), 1);
    assert_int_equal(del_int(f, whd, "tries"), 1);
    assert_int_equal(del_int(f, whd, "next_attempt_at"), -1);
    assert_int_equal(del_int(f, whd, "last_status"), 200);
    assert_int_equal(att_int(f, whd, 1, "http_status"), 200);
    assert_int_equal(att_int(f, whd, 1, "at"), T0);
    assert_int_equal(att_int(f, whd, 1, "next_attempt_at"), -1);
    assert_true(att_int(f, whd, 1, "latency_ms") >= 0);
    att_text(f, whd, 1, "error_class", txt, sizeof txt);
    assert_string_equal(txt, "");
    att_text(f, whd, 1, "url", txt, sizeof txt);
    assert_string_equal(txt, url);
    /* The invalid byte of the answer is stored as U+FFFD. */
    att_text(f, whd, 1, "response_body", txt, sizeof txt);
    assert_string_equal(txt, "thanks \xef\xbf\xbd");
    assert_int_equal(run_once(), RC_DONE);
    /* Two more deliveries ride the same kept-alive connection. */
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(rx.requests, 3);
    assert_int_equal(rx.connections, 1);
}

static void t_platform_500_five_tries(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], txt[256], first_id[64];
    rx_set(500);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    for (int n = 1; n <= 5; n++) {
        assert_int_equal(run_once(), RC_OK);
        assert_int_equal(rx.requests, n);
        if (n == 1)
            snprintf(first_id, sizeof first_id, "%s", rx.id);
        assert_string_equal(rx.id, first_id); /* the same webhook-id on every attempt */
        assert_int_equal(del_int(f, whd, "attempts"), n);
        assert_int_equal(att_int(f, whd, n, "http_status"), 500);
        att_text(f, whd, n, "error_class", txt, sizeof txt);
        assert_string_equal(txt, "http");
        att_text(f, whd, n, "error", txt, sizeof txt);
        assert_string_equal(txt, "HTTP 500");
        del_text(f, whd, "status", txt, sizeof txt);
        if (n < 5) {
            assert_string_equal(txt, "pending");
            int64_t now = clock_now_ms(), next = del_int(f, whd, "next_attempt_at");
            assert_true(next >= now + 10 * MIN && next <= now + 15 * MIN);
            assert_int_equal(att_int(f, whd, n, "next_attempt_at"), next);
            /* Not before its time on the test clock... */
            clock_set_ms(next - 1);
            assert_int_equal(run_once(), RC_DONE);
            /* ...and at once when it comes. */
            clock_set_ms(next);
        } else {
            assert_string_equal(txt, "failed");
            assert_int_equal(del_int(f, whd, "next_attempt_at"), -1);
            assert_int_equal(att_int(f, whd, n, "next_attempt_at"), -1);
        }
    }
    clock_advance_ms(60 * MIN);
    assert_int_equal(run_once(), RC_DONE);
    assert_int_equal(rx.requests, 5);
}

static void t_404_dropped(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], txt[64];
    rx_set(404);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    status_is(f, whd, "dropped");
    assert_int_equal(del_int(f, whd, "last_status"), 404);
    att_text(f, whd, 1, "response_body", txt, sizeof txt);
    assert_string_equal(txt, "no");
    clock_advance_ms(60 * MIN);
    assert_int_equal(run_once(), RC_DONE);
}

static void t_standard_410_disables(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], whd2[ID_MAX], other[ID_MAX], txt[128];
    cfg.policy = WEBHOOK_POLICY_STANDARD;
    rx_set(410);
    make_delivery(f, "igBBBBBBBBBBBBB", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    status_is(f, whd, "dropped");
    assert_int_equal(db_int(f, "SELECT COUNT(*) FROM webhook_disabled WHERE "
                               "iguide_id = 'igBBBBBBBBBBBBB'"),
                     1);
    /* The next delivery to that URL for that iGUIDE is dropped without a request; another
     * iGUIDE's is sent. */
    rx_set(200);
    make_delivery(f, "igBBBBBBBBBBBBB", url, ev, whd2);
    make_delivery(f, "igCCCCCCCCCCCCC", url, ev, other);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(rx.requests, 2);
    status_is(f, whd2, "dropped");
    del_text(f, whd2, "last_error", txt, sizeof txt);
    assert_non_null(strstr(txt, "disabled"));
    assert_int_equal(del_int(f, whd2, "attempts"), 0);
    status_is(f, other, "delivered");
    /* 503 with Retry-After: 7 is retried 7 s later. */
    rx_set(503);
    make_delivery(f, "igCCCCCCCCCCCCC", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(del_int(f, whd, "next_attempt_at"), clock_now_ms() + 7000);
    /* A 500 follows the schedule: 5 s (+ up to 10%). */
    rx_set(500);
    clock_advance_ms(7000);
    assert_int_equal(run_once(), RC_OK);
    int64_t d = del_int(f, whd, "next_attempt_at") - clock_now_ms();
    assert_true(d >= 5 * 60000 && d <= 5 * 60000 + 30000); /* the second step: 5 min */
}

static void t_timeout_retried(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], txt[256];
    rx_set(0);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    att_text(f, whd, 1, "error_class", txt, sizeof txt);
    assert_string_equal(txt, "timeout");
    assert_int_equal(att_int(f, whd, 1, "http_status"), -1);
    assert_true(att_int(f, whd, 1, "latency_ms") >= 900);
    att_text(f, whd, 1, "response_body", txt, sizeof txt);
    assert_string_equal(txt, "");
    status_is(f, whd, "pending");
    assert_int_equal(del_int(f, whd, "last_status"), -1);
    int64_t next = del_int(f, whd, "next_attempt_at");
    assert_true(next >= clock_now_ms() + 10 * MIN);
    /* The receiver recovers: the retry delivers. */
    rx_set(200);
    clock_set_ms(next);
    assert_int_equal(run_once(), RC_OK);
    status_is(f, whd, "delivered");
    assert_int_equal(del_int(f, whd, "attempts"), 2);
}

static void t_ssrf_refused(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], txt[256], https[128];
    cfg.allow_private = 0;
    snprintf(https, sizeof https, "https://127.0.0.1:%d/hook", rx.port);
    make_delivery(f, "igAAAAAAAAAAAAA", https, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(rx.requests, 0);
    att_text(f, whd, 1, "error_class", txt, sizeof txt);
    assert_string_equal(txt, "refused_address");
    att_text(f, whd, 1, "error", txt, sizeof txt);
    assert_string_equal(txt, "refused: 127.0.0.1 is a loopback address "
                             "(serve --webhook-allow-private allows it)");
    status_is(f, whd, "pending");
}

static void t_stale_job_and_unknown(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX];
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE webhook_deliveries SET next_attempt_at = %lld WHERE id = '%s'",
             (long long)(clock_now_ms() + 30 * MIN), whd);
    db_exec(f, sql);
    assert_int_equal(run_once(), RC_OK); /* ran, did nothing, completed */
    assert_int_equal(rx.requests, 0);
    assert_int_equal(del_int(f, whd, "attempts"), 0);
    assert_int_equal(run_once(), RC_DONE);
    /* A job whose delivery is gone (pruned) completes too. */
    struct err e = {0};
    assert_int_equal(webhook_schedule(f->s, "whd_AAAAAAAAAAAAAAAAAAAA", 0, clock_now_ms(), &e),
                     RC_OK);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(run_once(), RC_DONE);
}

static void t_cap_defers(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], whd2[ID_MAX], other[ID_MAX], other_url[160];
    int slots[WEBHOOK_PER_URL_INFLIGHT];
    for (int i = 0; i < WEBHOOK_PER_URL_INFLIGHT; i++)
        assert_true((slots[i] = webhook_inflight_acquire(url, WEBHOOK_PER_URL_INFLIGHT, 0)) >= 0);
    assert_int_equal(webhook_inflight_acquire(url, WEBHOOK_PER_URL_INFLIGHT, 0), -1);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd2);
    /* Another URL of the same receiver (the cap is per URL), due a moment later. */
    clock_advance_ms(1);
    snprintf(other_url, sizeof other_url, "%s?other", url);
    make_delivery(f, "igAAAAAAAAAAAAA", other_url, ev, other);
    assert_int_equal(run_once(), RC_OK);
    /* Put back for later, not counted as a try, and the URL's other due job with it: the next
     * claim is the other URL's delivery, and then nothing is due. */
    assert_int_equal(rx.requests, 0);
    assert_int_equal(del_int(f, whd, "attempts"), 0);
    assert_int_equal(del_int(f, whd, "tries"), 0);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(rx.requests, 1);
    status_is(f, other, "delivered");
    assert_int_equal(run_once(), RC_DONE);
    for (int i = 0; i < WEBHOOK_PER_URL_INFLIGHT; i++)
        webhook_inflight_release(slots[i]);
    assert_int_equal(webhook_inflight_count(url), 0);
    clock_advance_ms(1500);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(run_once(), RC_DONE);
    assert_int_equal(rx.requests, 3);
    status_is(f, whd, "delivered");
    status_is(f, whd2, "delivered");
    assert_int_equal(del_int(f, whd, "attempts"), 1);
    assert_int_equal(del_int(f, whd2, "attempts"), 1);
}

static void t_resend(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], got[ID_MAX];
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    struct err e = {0};
    clock_advance_ms(5 * MIN);
    assert_int_equal(webhook_resend(f->s, whd, clock_now_ms(), got, &e), RC_OK);
    assert_string_equal(got, ev);
    status_is(f, whd, "pending");
    assert_int_equal(del_int(f, whd, "tries"), 0);
    assert_int_equal(run_once(), RC_OK);
    assert_int_equal(rx.requests, 2);
    assert_string_equal(rx.id, ev);
    assert_int_equal(del_int(f, whd, "attempts"), 2);
    assert_int_equal(del_int(f, whd, "tries"), 1);
    status_is(f, whd, "delivered");
    assert_int_equal(att_int(f, whd, 2, "at"), clock_now_ms());
    /* A failed delivery counts its tries from 0 again: five more before it fails. */
    rx_set(500);
    assert_int_equal(webhook_resend(f->s, whd, clock_now_ms(), got, &e), RC_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(run_once(), RC_OK);
        clock_advance_ms(15 * MIN);
    }
    status_is(f, whd, "failed");
    assert_int_equal(del_int(f, whd, "attempts"), 7);
    assert_int_equal(webhook_resend(f->s, "whd_AAAAAAAAAAAAAAAAAAAA", clock_now_ms(), got, &e),
                     RC_NOTFOUND);
    assert_int_equal(webhook_resend(f->s, "nonsense", clock_now_ms(), got, &e), RC_NOTFOUND);
}

/* A delivery whose job was buried is failed, not left pending; a settled one keeps its status. */
static void t_give_up(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX], done[ID_MAX];
    struct err e = {0};
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, done);
    assert_int_equal(run_once(), RC_OK);
    status_is(f, done, "delivered");
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(store_webhook_delivery_give_up(f->s, whd, "gave up", clock_now_ms(), &e),
                     RC_OK);
    status_is(f, whd, "failed");
    assert_int_equal(store_webhook_delivery_give_up(f->s, done, "gave up", clock_now_ms(), &e),
                     RC_OK);
    status_is(f, done, "delivered");
}

static void t_rotation_two_signatures(void **state)
{
    struct fx *f = *state;
    char ev[ID_MAX], whd[ID_MAX];
    struct err e = {0};
    const char *old, *fresh;
    int64_t until = 0;
    assert_int_equal(webhook_secret_current(f->s, clock_now_ms(), f->a, &old, &e), RC_OK);
    const char *again;
    assert_int_equal(webhook_secret_current(f->s, clock_now_ms(), f->a, &again, &e), RC_OK);
    assert_string_equal(old, again);
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    assert_int_equal(webhook_secret_rotate(f->s, clock_now_ms(), f->a, &fresh, &until, &e), RC_OK);
    assert_int_equal(store_commit(f->s, &e), RC_OK);
    assert_string_not_equal(old, fresh);
    assert_int_equal(until, clock_now_ms() + 24 * 60 * MIN);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    assert_non_null(strchr(rx.sig, ' '));
    assert_signed_by(fresh, 0);
    assert_signed_by(old, 1);
    /* A day later the old one signs no more. */
    clock_advance_ms(24 * 60 * MIN + 1);
    make_delivery(f, "igAAAAAAAAAAAAA", url, ev, whd);
    assert_int_equal(run_once(), RC_OK);
    assert_null(strchr(rx.sig, ' '));
    assert_signed_by(fresh, 0);
}

#define W(t) cmocka_unit_test_setup_teardown(t, wsetup, wteardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        W(t_delivered),
        W(t_platform_500_five_tries),
        W(t_404_dropped),
        W(t_standard_410_disables),
        W(t_timeout_retried),
        W(t_ssrf_refused),
        W(t_stale_job_and_unknown),
        W(t_cap_defers),
        W(t_resend),
        W(t_rotation_two_signatures),
        W(t_give_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
