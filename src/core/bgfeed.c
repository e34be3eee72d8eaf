/* bgfeed.c — a single-producer, single-consumer ring of slots under one mutex; the lock is taken
 * once per slot (hundreds of KiB), never per byte. */
#include "core/bgfeed.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct slot {
    unsigned char *p;
    size_t len;
};

struct bgfeed {
    bgfeed_fn fn;
    void *user;
    size_t slot_bytes;
    unsigned nslots;
    struct slot *slots;
    unsigned head, tail, queued;   /* producer fills slots[head]; consumer takes slots[tail] */
    int closing;
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_empty;
    pthread_t th;
};

static void *consume(void *arg)
{
    struct bgfeed *f = arg;
    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (f->queued == 0 && !f->closing)
            pthread_cond_wait(&f->cv_full, &f->mu);
        if (f->queued == 0)
            break;   /* closing and drained */
        struct slot *s = &f->slots[f->tail];
        pthread_mutex_unlock(&f->mu);
        f->fn(f->user, s->p, s->len);
        pthread_mutex_lock(&f->mu);
        s->len = 0;
        f->tail = (f->tail + 1) % f->nslots;
        f->queued--;
        pthread_cond_signal(&f->cv_empty);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

static void free_feed(struct bgfeed *f)
{
    for (unsigned i = 0; f->slots && i < f->nslots; i++)
        free(f->slots[i].p);
    free(f->slots);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv_full);
    pthread_cond_destroy(&f->cv_empty);
    free(f);
}

struct bgfeed *bgfeed_start(bgfeed_fn fn, void *user, size_t slot_bytes, unsigned nslots)
{
    if (!fn || slot_bytes == 0 || nslots < 2)
        return NULL;
    struct bgfeed *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->fn = fn;
    f->user = user;
    f->slot_bytes = slot_bytes;
    f->nslots = nslots;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv_full, NULL);
    pthread_cond_init(&f->cv_empty, NULL);
    f->slots = calloc(nslots, sizeof *f->slots);
    int ok = f->slots != NULL;
    for (unsigned i = 0; ok && i < nslots; i++)
        ok = (f->slots[i].p = malloc(slot_bytes)) != NULL;
    if (!ok || pthread_create(&f->th, NULL, consume, f) != 0) {
        free_feed(f);
        return NULL;
    }
    return f;
}

/* Queues the producer's current slot for the consumer; the caller holds mu. */
static void hand_over(struct bgfeed *f)
{
    f->head = (f->head + 1) % f->nslots;
    f->queued++;
    pthread_cond_signal(&f->cv_full);
}

void bgfeed_push(struct bgfeed *f, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n > 0) {
        pthread_mutex_lock(&f->mu);
        /* The slot at head is the producer's unless every slot is queued. */
        while (f->queued == f->nslots)
            pthread_cond_wait(&f->cv_empty, &f->mu);
        pthread_mutex_unlock(&f->mu);
        struct slot *s = &f->slots[f->head];
        size_t k = f->slot_bytes - s->len;
        if (k > n)
            k = n;
        memcpy(s->p + s->len, b, k);
        s->len += k;
        b += k;
        n -= k;
        if (s->len == f->slot_bytes) {
            pthread_mutex_lock(&f->mu);
            hand_over(f);
            pthread_mutex_unlock(&f->mu);
        }
    }
}

void bgfeed_finish(struct bgfeed *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    while (f->queued == f->nslots)
        pthread_cond_wait(&f->cv_empty, &f->mu);
    if (f->slots[f->head].len > 0)
        hand_over(f);
    f->closing = 1;
    pthread_cond_signal(&f->cv_full);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->th, NULL);
    free_feed(f);
}
