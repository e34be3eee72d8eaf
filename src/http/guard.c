/* guard.c — connection caps and deadlines. One mutex guards the connection list and the per-address
 * counts; phases and byte counts are atomics, written by the connection's own HTTP thread and read
 * by the reaper. The reaper never closes a descriptor (the HTTP library owns it): it shuts the
 * socket down, under the list lock, so the descriptor cannot have been closed and reused in
 * between (guard_close runs before the library closes it). The library then sees end-of-stream on
 * its next read and closes the connection through its ordinary path. */
#include "http/guard.h"

#include "core/clock.h"
#include "core/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define IP_BUCKETS 1024
#define IP_MAX 48
/* A connection over a cap only needs time to send its request line and read the 503. */
#define OVER_CAP_DEADLINE_MS 2000
#define REAP_EVERY_MS 200

enum phase { WAIT_HEAD, BODY, ANSWERING };

struct ip_count {
    struct ip_count *next;
    unsigned n;
    char ip[IP_MAX];
};

struct guard_conn {
    struct guard *g;
    struct guard_conn *prev, *next;
    struct ip_count *ip;         /* NULL when over a cap (not counted) */
    int fd;
    int over;
    int reaped;                  /* shut down once already */
    atomic_int phase;
    _Atomic int64_t since_ms;    /* when the current phase (or pace window) began */
    atomic_ullong body;          /* body bytes so far */
    uint64_t window_body;        /* the reaper's: body bytes at the start of the pace window */
};

struct guard {
    struct guard_limits lim;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t reaper;
    int stopping;
    struct guard_conn *conns;
    unsigned open;               /* connections within the caps */
    atomic_ullong reaped;
    struct ip_count *ips[IP_BUCKETS];
};

static unsigned ip_hash(const char *s)
{
    unsigned h = 2166136261u;   /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % IP_BUCKETS;
}

/* The count for ip, created at zero; NULL when out of memory. Called with the lock held. */
static struct ip_count *ip_get(struct guard *g, const char *ip)
{
    unsigned h = ip_hash(ip);
    for (struct ip_count *c = g->ips[h]; c; c = c->next)
        if (strcmp(c->ip, ip) == 0)
            return c;
    struct ip_count *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    snprintf(c->ip, sizeof c->ip, "%s", ip);
    c->next = g->ips[h];
    g->ips[h] = c;
    return c;
}

/* Drops ip's count by one, freeing it at zero. Called with the lock held. */
static void ip_put(struct guard *g, struct ip_count *ic)
{
    if (--ic->n)
        return;
    struct ip_count **pp = &g->ips[ip_hash(ic->ip)];
    while (*pp != ic)
        pp = &(*pp)->next;
    *pp = ic->next;
    free(ic);
}

static void reap(struct guard_conn *c, const char *why)
{
    c->reaped = 1;
    atomic_fetch_add(&c->g->reaped, 1);
    shutdown(c->fd, SHUT_RDWR);
    log_debug("closing a connection from %s: %s", c->ip ? c->ip->ip : "(over a cap)", why);
}

/* One pass over the connections: who is past a deadline. Called with the lock held. */
static void sweep(struct guard *g, int64_t now)
{
    int64_t head_ms = (int64_t)g->lim.header_timeout_s * 1000;
    for (struct guard_conn *c = g->conns; c; c = c->next) {
        if (c->reaped)
            continue;
        int64_t since = atomic_load(&c->since_ms);
        switch (atomic_load(&c->phase)) {
        case WAIT_HEAD:
            if (now - since >= (c->over ? OVER_CAP_DEADLINE_MS : head_ms))
                reap(c, "no complete request head in time");
            break;
        case BODY:
            if (now - since < head_ms)
                break;
            {
                uint64_t got = atomic_load(&c->body);
                if (got - c->window_body < g->lim.body_min_bytes) {
                    reap(c, "request body too slow");
                    break;
                }
                /* A new pace window; a racing phase change only moves it later. */
                c->window_body = got;
                atomic_compare_exchange_strong(&c->since_ms, &since, now);
            }
            break;
        default:
            break;
        }
    }
}

static void *reaper_main(void *arg)
{
    struct guard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        struct timespec ts = clock_deadline(CLOCK_MONOTONIC, REAP_EVERY_MS);
        pthread_cond_timedwait(&g->cv, &g->mu, &ts);
        if (!g->stopping)
            sweep(g, clock_mono_ms());
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

struct guard *guard_new(const struct guard_limits *lim)
{
    struct guard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->lim = *lim;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int bad = pthread_mutex_init(&g->mu, NULL) || pthread_cond_init(&g->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (bad || pthread_create(&g->reaper, NULL, reaper_main, g)) {
        free(g);
        return NULL;
    }
    return g;
}

void guard_free(struct guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stopping = 1;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->reaper, NULL);
    for (unsigned i = 0; i < IP_BUCKETS; i++)
        while (g->ips[i]) {
            struct ip_count *n = g->ips[i]->next;
            free(g->ips[i]);
            g->ips[i] = n;
        }
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

unsigned guard_slack(unsigned cap)
{
    return cap / 8 + 16;
}

struct guard_conn *guard_open(struct guard *g, int fd, const char *ip)
{
    struct guard_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->g = g;
    c->fd = fd;
    atomic_init(&c->phase, WAIT_HEAD);
    atomic_init(&c->since_ms, clock_mono_ms());
    atomic_init(&c->body, 0);
    pthread_mutex_lock(&g->mu);
    /* The cap in all first, so an address is only entered in the table for a counted connection
     * (a new entry starts at 0, below any per-address cap). */
    struct ip_count *ic = NULL;
    if (g->open >= g->lim.max_connections)
        c->over = 1;
    else if (g->lim.max_per_ip && (!(ic = ip_get(g, ip ? ip : "")) || ic->n >= g->lim.max_per_ip))
        c->over = 1;
    if (!c->over) {
        g->open++;
        if (ic) {
            ic->n++;
            c->ip = ic;
        }
    }
    c->next = g->conns;
    if (g->conns)
        g->conns->prev = c;
    g->conns = c;
    pthread_mutex_unlock(&g->mu);
    return c;
}

int guard_over(const struct guard_conn *c)
{
    return c && c->over;
}

void guard_head_done(struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->g->mu);
    c->window_body = 0;
    atomic_store(&c->body, 0);
    atomic_store(&c->since_ms, clock_mono_ms());
    atomic_store(&c->phase, BODY);
    pthread_mutex_unlock(&c->g->mu);
}

void guard_body(struct guard_conn *c, uint64_t n)
{
    if (c)
    atomic_fetch_add(&c->body, n);
}

void guard_answering(struct guard_conn *c)
{
    if (c)
    atomic_store(&c->phase, ANSWERING);
}

void guard_request_done(struct guard_conn *c)
{
    if (!c)
        return;
    atomic_store(&c->since_ms, clock_mono_ms());
    atomic_store(&c->phase, WAIT_HEAD);
}

void guard_close(struct guard_conn *c)
{
    if (!c)
        return;
    struct guard *g = c->g;
    pthread_mutex_lock(&g->mu);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (!c->over) {
        g->open--;
        if (c->ip)
            ip_put(g, c->ip);
    }
    pthread_mutex_unlock(&g->mu);
    free(c);
}

uint64_t guard_reaped(const struct guard *g)
{
    return atomic_load(&g->reaped);
}
