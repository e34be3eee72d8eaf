/* post.c — see post.h. A thread's easy handle keeps its connection cache between attempts
 * (curl_easy_reset leaves live connections alone), which is what keeps a busy receiver on a few
 * kept-alive connections instead of a handshake per event. */
#include "webhooks/post.h"

#include "core/clock.h"
#include "core/version.h"
#include "json/jsonx.h"
#include "webhooks/ssrf.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* An answer larger than this is cut off (the connection then closes): the log keeps 4 KiB and
 * a receiver has no reason to send more. */
#define BODY_READ_MAX (256 * 1024)

struct tstate {
    CURL *h;
    struct ssrf_guard guard;
    unsigned char raw[WEBHOOK_BODY_KEEP];
    size_t raw_len, read;
    char retry_after[64];
    char errbuf[CURL_ERROR_SIZE];
};

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void tstate_free(void *p)
{
    struct tstate *t = p;
    if (t) {
        curl_easy_cleanup(t->h);
        free(t);
    }
}

static void make_key(void)
{
    pthread_key_create(&key, tstate_free);
}

static struct tstate *tstate_get(void)
{
    pthread_once(&key_once, make_key);
    struct tstate *t = pthread_getspecific(key);
    if (t)
        return t;
    t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    if (!(t->h = curl_easy_init()) || pthread_setspecific(key, t) != 0) {
        curl_easy_cleanup(t->h);
        free(t);
        return NULL;
    }
    return t;
}

void webhook_post_thread_release(void)
{
    pthread_once(&key_once, make_key);
    struct tstate *t = pthread_getspecific(key);
    pthread_setspecific(key, NULL);
    tstate_free(t);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct tstate *t = ud;
    size_t len = size * n;
    if (t->raw_len < sizeof t->raw) {
        size_t take = sizeof t->raw - t->raw_len < len ? sizeof t->raw - t->raw_len : len;
        memcpy(t->raw + t->raw_len, p, take);
        t->raw_len += take;
    }
    t->read += len;
    return t->read > BODY_READ_MAX ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct tstate *t = ud;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        size_t vlen = len - (sizeof name - 1);
        if (vlen >= sizeof t->retry_after)
            vlen = sizeof t->retry_after - 1; /* too long to be valid: the parser refuses it */
        memcpy(t->retry_after, p + sizeof name - 1, vlen);
        t->retry_after[vlen] = '\0';
    }
    return len;
}

/* The fault of a transfer that got no usable status. */
static enum webhook_fault fault_of(CURLcode c, const struct tstate *t)
{
    if (t->guard.refused[0])
        return WEBHOOK_REFUSED_ADDRESS;
    switch (c) {
    case CURLE_OPERATION_TIMEDOUT:
        return WEBHOOK_TIMEOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return WEBHOOK_DNS;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return WEBHOOK_PROTOCOL;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return WEBHOOK_TLS;
    default:
        return WEBHOOK_CONNECT;
    }
}

/* Options for one request on t's handle; CURLE_OK or the first failure. */
static CURLcode setup(struct tstate *t, const struct webhook_request *rq, struct curl_slist *hdrs)
{
    CURL *h = t->h;
    long ms = (long)rq->timeout_s * 1000;
    CURLcode c = curl_easy_setopt(h, CURLOPT_URL, rq->url);
#define SET(opt, v)                                                                                \
    if (!c)                                                                                        \
    c = curl_easy_setopt(h, opt, v)
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDS, rq->body);
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
    SET(CURLOPT_HTTPHEADER, hdrs);
    SET(CURLOPT_USERAGENT, "Guidepost/" GUIDEPOST_VERSION);
    SET(CURLOPT_TIMEOUT_MS, ms);
    SET(CURLOPT_CONNECTTIMEOUT_MS, ms);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, t);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, t);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
#undef SET
    return c;
}

enum rc webhook_post(const struct webhook_request *rq, struct webhook_response *out, struct err *e)
{
    memset(&out->outcome, 0, sizeof out->outcome);
    out->outcome.retry_after_ms = -1;
    out->latency_ms = 0;
    out->body[0] = out->error[0] = '\0';
    out->has_body = 0;
    struct tstate *t = tstate_get();
    if (!t)
        return err_set(e, RC_NOMEM, "cannot create a libcurl handle");
    curl_easy_reset(t->h);
    t->raw_len = t->read = 0;
    t->retry_after[0] = t->errbuf[0] = '\0';
    t->guard.allow_private = rq->allow_private;
    char hid[96], hts[64], hsig[1024];
    snprintf(hid, sizeof hid, "webhook-id: %s", rq->msg_id);
    snprintf(hts, sizeof hts, "webhook-timestamp: %lld", (long long)rq->timestamp);
    int n = snprintf(hsig, sizeof hsig, "webhook-signature: %s", rq->signature);
    if (n < 0 || (size_t)n >= sizeof hsig)
        return err_set(e, RC_INTERNAL, "signature header too long");
    struct curl_slist *hdrs = NULL, *next;
    const char *lines[] = {"Content-Type: application/json", hid, hts, hsig,
                           "Expect:" /* no 100-continue round trip for large bodies */};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!(next = curl_slist_append(hdrs, lines[i]))) {
            curl_slist_free_all(hdrs);
            return err_set(e, RC_NOMEM, "out of memory");
        }
        hdrs = next;
    }
    enum rc rc = ssrf_curl_setup(t->h, &t->guard, e);
    CURLcode c = rc == RC_OK ? setup(t, rq, hdrs) : CURLE_OK;
    if (rc == RC_OK && c != CURLE_OK)
        rc = err_set(e, RC_INTERNAL, "libcurl: %s", curl_easy_strerror(c));
    if (rc != RC_OK) {
        curl_slist_free_all(hdrs);
        return rc;
    }
    int64_t t0 = clock_mono_ns();
    c = curl_easy_perform(t->h);
    out->latency_ms = (clock_mono_ns() - t0) / 1000000;
    curl_slist_free_all(hdrs);
    /* Points at our list no more: the next reset would not touch it, but a later perform must
     * not either. */
    curl_easy_setopt(t->h, CURLOPT_HTTPHEADER, NULL);
    long status = 0;
    curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &status);
    /* A status with an answer cut off by BODY_READ_MAX still counts as that status. */
    if ((c == CURLE_OK || c == CURLE_WRITE_ERROR) && status >= 100 && status <= 599) {
        out->outcome.fault = WEBHOOK_RESPONSE;
        out->outcome.http_status = (int)status;
        int64_t d;
        if (t->retry_after[0] &&
            webhook_retry_after_parse(t->retry_after, clock_wall_ms(), &d) == 0)
            out->outcome.retry_after_ms = d;
        if (status < 200 || status > 299)
            snprintf(out->error, sizeof out->error, "HTTP %ld", status);
    } else {
        out->outcome.fault = fault_of(c, t);
        if (out->outcome.fault == WEBHOOK_REFUSED_ADDRESS)
            snprintf(out->error, sizeof out->error, "%s", t->guard.refused);
        else
            snprintf(out->error, sizeof out->error, "%s",
                     t->errbuf[0] ? t->errbuf : curl_easy_strerror(c));
    }
    if (t->raw_len || out->outcome.fault == WEBHOOK_RESPONSE) {
        /* The kept head of a longer answer may end inside a character: left out, not replaced. */
        jsonx_utf8_repair(t->raw, t->raw_len, 1, out->body, sizeof out->body);
        out->has_body = 1;
    }
    return RC_OK;
}
