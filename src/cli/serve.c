/* serve.c — `guidepost serve`: open and migrate the store, start the listener, wait for
 * SIGTERM/SIGINT, drain requests in flight, stop. Signals are blocked in every thread and taken
 * with sigwait in the main thread, so no handler runs inside library code. */
#include "cli/cli.h"

#include "api/api.h"
#include "cli/clock_follow.h"
#include "cli/daemon.h"
#include "cli/opts.h"
#include "cli/workers.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/http.h"
#include "blob/blob.h"
#include "ratelimit/ratelimit.h"
#include "s3/s3_api.h"
#include "s3/vhost.h"
#include "store/store.h"
#include "viewer/viewer.h"

#include <limits.h>
#include <pthread.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PEM (64 * 1024)

static char *read_small_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(MAX_PEM + 1);
    size_t n = buf ? fread(buf, 1, MAX_PEM + 1, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n > MAX_PEM) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* The janitor: removes multipart uploads abandoned past their credentials' expiry. It reads the
 * service clock, so the test clock drives it too. */
struct janitor {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    struct s3_config *s3;
};

static void *janitor_main(void *p)
{
    struct janitor *j = p;
    pthread_mutex_lock(&j->mu);
    while (!j->stop) {
        pthread_mutex_unlock(&j->mu);
        int n = s3_reap_expired(j->s3, clock_now_ms());
        if (n)
            log_info("janitor: removed %d abandoned multipart upload(s)", n);
        pthread_mutex_lock(&j->mu);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        if (!j->stop)
            pthread_cond_timedwait(&j->cv, &j->mu, &ts);
    }
    pthread_mutex_unlock(&j->mu);
    store_thread_release();
    return NULL;
}

static int write_ready_file(const char *path, const char *url)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n", url);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int cli_serve(int argc, char **argv)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    char threads_default[24];
    snprintf(threads_default, sizeof threads_default, "%ld", ncpu > 0 ? 2 * ncpu : 4);
    struct opt opts[] = {
        {"listen", 0, "127.0.0.1:8080", "HOST:PORT to listen on (port 0: any free port)", NULL},
        {"data", 0, "./data", "data folder (SQLite database, uploads)", NULL},
        {"public-url", 0, NULL, "base URL clients use to reach this server", NULL},
        {"threads", 0, threads_default, "HTTP worker threads", NULL},
        {"max-connections", 0, "1000", "connections in all; more are answered 503", NULL},
        {"max-connections-per-ip", 0, "256", "connections per client address (0: no cap; behind a "
                                             "reverse proxy, the proxy is one address)", NULL},
        {"header-timeout", 0, "10", "seconds a request head (or a kept-alive connection's next "
                                    "one) may take to arrive", NULL},
        {"idle-timeout", 0, "60", "seconds without a byte either way before a connection is "
                                  "closed", NULL},
        {"rate-limit", 0, "50", "requests per second per App ID (0: unlimited)", NULL},
        {"max-body", 0, "262144", "largest JSON request body in bytes", NULL},
        {"tls-cert", 0, NULL, "PEM certificate file: serve HTTPS", NULL},
        {"tls-key", 0, NULL, "PEM private key file for --tls-cert", NULL},
        {"test-clock", 1, NULL, "expose /_test/clock to move the server's clock (tests only)", NULL},
        {"log-level", 0, "info", "debug, info, warn or error", NULL},
        {"ready-file", 0, NULL, "write the server's URL to this file once it listens", NULL},
        {"s3-listen", 0, NULL, "also serve the S3 upload endpoint on HOST:PORT", NULL},
        {"s3-public-url", 0, NULL, "S3 endpoint URL permits name (default: the --s3-listen address, else --public-url)", NULL},
        {"s3-bucket", 0, "guidepost_stitch", "the bucket upload permits point into", NULL},
        {"s3-virtual-hosts", 1, NULL, "<bucket>.<S3 endpoint host> reaches this server (wildcard "
                                      "DNS): allow a bucket SDKs address that way", NULL},
        {"s3-region", 0, "us-east-1", "the region S3 clients sign for", NULL},
        {"max-filesize", 0, "53687091200", "largest Stitch Data upload in bytes (50 GiB)", NULL},
        {"signin-attempts", 0, "10", "sign-in attempts per email per 15 minutes (5x per client "
                                     "address); 0 disables the limit", NULL},
        WORKERS_OPTS("2"),
        {NULL, 0, NULL, NULL, NULL},
    };
    const char *usage = "guidepost serve [--listen HOST:PORT] [--data DIR] [options]";
    int prc = opts_parse(opts, argc, argv, NULL, 0, usage);
    if (prc)
        return opts_exit_code(prc);
    int64_t threads = 4, rate = 50, max_body = 262144, max_filesize = 0, signin = 10;
    int64_t max_conn = 0, max_per_ip = 0, header_s = 0, idle_s = 0;
    if (opt_int(opts, "threads", 1, 256, &threads) ||
        opt_int(opts, "max-connections", 1, 100000, &max_conn) ||
        opt_int(opts, "max-connections-per-ip", 0, 100000, &max_per_ip) ||
        opt_int(opts, "header-timeout", 1, 3600, &header_s) ||
        opt_int(opts, "idle-timeout", 1, 86400, &idle_s) || opt_int(opts, "rate-limit", 0, 1000000, &rate) ||
        opt_int(opts, "signin-attempts", 0, 100000, &signin) ||
        opt_int(opts, "max-body", 1024, 64 << 20, &max_body) ||
        opt_int(opts, "max-filesize", 1, INT64_MAX, &max_filesize))
        return 2;
    struct workers wk;
    if (workers_configure(&wk, opts))
        return 2;
    const char *bucket = opt_get(opts, "s3-bucket");
    size_t blen = strlen(bucket);
    int bucket_ok = blen >= 3 && blen <= 63;
    for (size_t i = 0; bucket_ok && i < blen; i++)
        bucket_ok =
            (bucket[i] >= 'a' && bucket[i] <= 'z') || (bucket[i] >= '0' && bucket[i] <= '9') ||
            ((bucket[i] == '.' || bucket[i] == '-' || bucket[i] == '_') && i > 0 && i + 1 < blen);
    /* "--" marks S3's special buckets (xn--, --x-s3, ...), which the SDKs send elsewhere */
    if (!bucket_ok || strstr(bucket, "--")) {
        fprintf(stderr, "guidepost: --s3-bucket must be a bucket name of 3-63 characters: a-z, "
                        "0-9, and '.', '-', '_' not at either end, without \"--\"\n");
        return 2;
    }
    /* SigV4 signs the path, so the S3 endpoint must be a host's root: no path prefix. */
    const char *s3pub = opt_get(opts, "s3-public-url");
    if (s3pub) {
        const char *hp = strncmp(s3pub, "http://", 7) == 0    ? s3pub + 7
                         : strncmp(s3pub, "https://", 8) == 0 ? s3pub + 8
                                                              : NULL;
        const char *sl = hp ? strchr(hp, '/') : NULL;
        if (!hp || !*hp || *hp == '/' || (sl && sl[1]) || strlen(s3pub) > 255 ||
            strpbrk(s3pub, " ?#\"\\")) {
            fprintf(stderr, "guidepost: --s3-public-url must be http(s)://HOST[:PORT] with no path\n");
            return 2;
        }
    }
    /* The S3 endpoint's host names, for virtual-hosted-style requests, the first one being the
     * host permits name; and the refusal of a bucket the SDKs would send to a host that does not
     * reach us (docs/uploads.md, "Bucket names and addressing"). */
    char hostbuf[4][S3_HOST_MAX];
    const char *hosts[4];
    size_t n_hosts = 0;
    int s3_https = 0;
    {
        const char *listen_at = opt_get(opts, "listen"), *s3_listen = opt_get(opts, "s3-listen");
        const char *pub_url = opt_get(opts, "public-url");
        const char *cands[4] = {s3pub, s3_listen, pub_url, listen_at};
        for (size_t i = 0; i < 4; i++) {
            if (!cands[i])
                continue;
            char url[S3_HOST_MAX + 16];
            int https = 0;
            /* listen addresses are HOST:PORT; the scheme follows --tls-cert */
            snprintf(url, sizeof url, "%s%s",
                     (i == 1 || i == 3) ? (opt_get(opts, "tls-cert") ? "https://" : "http://") : "",
                     cands[i]);
            if (s3_url_host(url, hostbuf[n_hosts], S3_HOST_MAX, &https))
                continue;
            if (n_hosts == 0)
                s3_https = https;
            size_t j = 0;
            while (j < n_hosts && strcmp(hosts[j], hostbuf[n_hosts]) != 0)
                j++;
            if (j == n_hosts) {
                hosts[n_hosts] = hostbuf[n_hosts];
                n_hosts++;
            }
        }
    }
    enum s3_addressing addr =
        n_hosts ? s3_sdk_addressing(bucket, s3_https, hosts[0]) : S3_ADDR_PATH;
    if (addr == S3_ADDR_BROKEN) {
        fprintf(stderr,
                "guidepost: --s3-bucket %s cannot be used with the S3 endpoint %s://%s: the AWS "
                "SDKs for JavaScript v3 and Go v2 would address it as the host %s.%s, which "
                "is not a host name; use a name with '_' (like guidepost_stitch)\n",
                bucket, s3_https ? "https" : "http", hosts[0], bucket, hosts[0]);
        return 2;
    }
    if (addr == S3_ADDR_VIRTUAL && !opt_flag(opts, "s3-virtual-hosts")) {
        fprintf(stderr,
                "guidepost: --s3-bucket %s would break default S3 clients on the S3 endpoint "
                "%s://%s: the AWS SDKs for JavaScript v3 and Go v2 would send uploads to the "
                "host %s.%s; use a name with '_' (like guidepost_stitch), or pass "
                "--s3-virtual-hosts when *.%s reaches this server\n",
                bucket, s3_https ? "https" : "http", hosts[0], bucket, hosts[0], hosts[0]);
        return 2;
    }
    enum log_level lvl;
    if (log_parse_level(opt_get(opts, "log-level"), &lvl)) {
        fprintf(stderr, "guidepost: --log-level must be debug, info, warn or error\n");
        return 2;
    }
    log_set_level(lvl);
    const char *cert_path = opt_get(opts, "tls-cert"), *key_path = opt_get(opts, "tls-key");
    if (!cert_path != !key_path) {
        fprintf(stderr, "guidepost: --tls-cert and --tls-key go together\n");
        return 2;
    }

    /* Block the shutdown signals before any thread starts, so all threads inherit the mask. */
    sigset_t set;
    daemon_block_signals(&set);
    const char *data_dir = opt_get(opts, "data");
    struct blob_store *blobs;
    if (daemon_open_data(data_dir, &blobs))
        return 1;
    /* From here every exit goes through one teardown at the end, which undoes whatever was set
     * up (each resource starts empty, so the teardown knows what to release). */
    int status = 1;
    struct err e = {0};
    char *cert = NULL, *key = NULL;
    struct ratelimit *rl = NULL, *sie = NULL, *sip = NULL;
    struct http_server *srv = NULL, *s3srv = NULL;
    int workers_started = 0, jan_started = 0;
    struct clock_follow *follow = NULL;
    struct janitor jan = {0};
    if (cert_path && (!(cert = read_small_file(cert_path)) || !(key = read_small_file(key_path)))) {
        log_error("cannot read --tls-cert %s / --tls-key %s", cert_path, key_path);
        goto out;
    }
    struct s3_config s3cfg = {
        .bucket = bucket,
        .hosts = hosts,
        .n_hosts = n_hosts,
        .region = opt_get(opts, "s3-region"),
        .blobs = blobs,
        .max_object = 5ULL << 30,
        .max_xml = 1u << 20,
    };
    rl = rl_new((int)rate);
    /* Sign-in attempts: a fixed 15-minute window per email and per client address. */
    sie = rl_new_window((int)signin, SIGNIN_WINDOW_MS);
    sip = rl_new_window((int)(signin * 5), SIGNIN_WINDOW_MS);
    if (!rl || !sie || !sip) {
        log_error("out of memory");
        goto out;
    }
    struct viewer_config vcfg = {.blobs = blobs};
    struct api_config acfg = {
        .test_clock = opt_flag(opts, "test-clock"),
        .rl = rl,
        .signin_rl_email = sie,
        .signin_rl_ip = sip,
        .json_body_limit = (size_t)max_body,
        .s3 = &s3cfg,
        .max_filesize = max_filesize,
        .blobs = blobs,
        .stage_ms = wk.pipe.stage_ms,
        .test_faults = wk.test_faults,
        .webhook_allow_private = opt_flag(opts, "webhook-allow-private"),
    };
    struct http_config hcfg = {
        .listen = opt_get(opts, "listen"),
        .threads = (unsigned)threads,
        .max_connections = (unsigned)max_conn,
        .max_per_ip = max_per_ip ? (unsigned)max_per_ip : UINT_MAX,
        .header_timeout_s = (unsigned)header_s,
        .idle_timeout_s = (unsigned)idle_s,
        .tls_cert_pem = cert,
        .tls_key_pem = key,
    };
    /* The front door, in order: the S3 endpoint claims by signature or bucket path, the API by its
     * prefixes, the sign-in pages by theirs, and the viewer takes what is left of GET and HEAD. */
    struct http_app app = {0};
    if (s3_mount(&s3cfg, &app) || api_mount(&acfg, &app) || viewer_mount(&vcfg, &app)) {
        log_error("too many applications mounted (HTTP_MAX_MOUNTS)");
        goto out;
    }
    struct http_config s3h = hcfg;   /* the S3 listener: the same limits, its own address */
    s3h.listen = opt_get(opts, "s3-listen");
    if (!(srv = http_start(&hcfg, &app, &e)) || (s3h.listen && !(s3srv = http_start(&s3h, &app, &e)))) {
        log_error("%s", e.msg);
        status = e.rc == RC_INVALID ? 2 : 1;
        goto out;
    }
    char url[300], base[300];
    const char *host = hcfg.listen;
    const char *colon = strrchr(host, ':');
    snprintf(url, sizeof url, "%s://%.*s:%u", cert ? "https" : "http", (int)(colon - host), host,
             http_port(srv));
    const char *pub = opt_get(opts, "public-url");
    snprintf(base, sizeof base, "%s", pub ? pub : url);
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        base[--bl] = '\0';
    acfg.public_url = base;
    vcfg.public_url = base;
    char s3url[300];
    if (s3pub) {
        snprintf(s3url, sizeof s3url, "%s", s3pub);
        size_t sl = strlen(s3url);
        if (sl && s3url[sl - 1] == '/')
            s3url[sl - 1] = '\0';
    } else if (s3srv) {
        const char *sl = opt_get(opts, "s3-listen"), *sc = strrchr(sl, ':');
        snprintf(s3url, sizeof s3url, "%s://%.*s:%u", cert ? "https" : "http", (int)(sc - sl), sl,
                 http_port(s3srv));
    } else {
        snprintf(s3url, sizeof s3url, "%s", base);
    }
    acfg.s3_endpoint = s3url;
    wk.pipe.blobs = blobs;
    wk.pipe.public_url = base;
    if (workers_start(&wk, &e) != RC_OK) {
        log_error("cannot start the pipeline workers: %s", e.msg);
        goto out;
    }
    workers_started = 1;
    if (acfg.test_clock && !(follow = clock_follow_start(&e))) {
        log_error("%s", e.msg);
        goto out;
    }
    jan.s3 = &s3cfg;
    pthread_mutex_init(&jan.mu, NULL);
    pthread_cond_init(&jan.cv, NULL);
    jan_started = pthread_create(&jan.th, NULL, janitor_main, &jan) == 0;
    log_info("guidepost listening on %s (data %s, %lld threads, rate limit %lld/s%s%s); S3 endpoint "
             "%s, bucket %s; %u pipeline worker(s), stages of %llds, QA %s",
             url, data_dir, (long long)threads, (long long)rate,
             acfg.test_clock ? ", TEST CLOCK ENABLED" : "",
             wk.test_faults ? ", TEST FAULTS ENABLED" : "", s3url, bucket, wk.threads,
             (long long)(wk.pipe.stage_ms / 1000), wk.pipe.qa_manual ? "manual" : "automatic");
    log_info("webhooks: %u delivery thread(s), %s retries, %ds timeout%s", wk.webhook.threads,
             webhook_policy_name(wk.webhook.policy), wk.webhook.timeout_s,
             wk.webhook.allow_private ? ", PRIVATE ADDRESSES AND http:// ALLOWED" : "");
    const char *ready = opt_get(opts, "ready-file");
    if (ready && write_ready_file(ready, url))
        log_warn("cannot write --ready-file %s", ready);

    int sig = 0;
    sigwait(&set, &sig);
    log_info("received %s, draining requests in flight", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    status = 0;

out:
    if (s3srv)
        http_stop(s3srv, 10000);
    if (srv)
        http_stop(srv, 10000);
    if (workers_started)
        workers_stop(&wk);
    clock_follow_stop(follow);
    if (jan_started) {
        pthread_mutex_lock(&jan.mu);
        jan.stop = 1;
        pthread_cond_signal(&jan.cv);
        pthread_mutex_unlock(&jan.mu);
        pthread_join(jan.th, NULL);
    }
    if (jan.s3) {
        pthread_cond_destroy(&jan.cv);
        pthread_mutex_destroy(&jan.mu);
    }
    blob_close(blobs);
    rl_free(rl);
    rl_free(sie);
    rl_free(sip);
    free(cert);
    free(key);
    if (status == 0)
        log_info("stopped");
    return status;
}
