/* retry.h — what happens after an attempt: the outcome (a status, or the kind of failure when no
 * response came back) decides under the retry policy whether the delivery is done, tried again
 * (and when), dropped, failed for good, or its URL disabled. Pure functions over the caller's
 * clock; docs/webhooks.md lists both policies. */
#ifndef GP_WEBHOOK_RETRY_H
#define GP_WEBHOOK_RETRY_H

#include <stdint.h>

enum webhook_policy {
    WEBHOOK_POLICY_PLATFORM, /* the platform's: 5xx / network errors retried 10-15 min later, 5
                                tries */
    WEBHOOK_POLICY_STANDARD  /* the Standard Webhooks schedule, Retry-After, 410 disables */
};

/* How an attempt ended. */
enum webhook_fault {
    WEBHOOK_RESPONSE, /* a status came back (http_status) */
    WEBHOOK_TIMEOUT,
    WEBHOOK_CONNECT, /* refused, reset, closed early */
    WEBHOOK_DNS,
    WEBHOOK_TLS,
    WEBHOOK_REFUSED_ADDRESS, /* the SSRF guard refused the resolved address */
    WEBHOOK_PROTOCOL         /* a URL this process may not call (http:// without allow-private) */
};

struct webhook_outcome {
    enum webhook_fault fault;
    int http_status;        /* WEBHOOK_RESPONSE: 100..599 */
    int64_t retry_after_ms; /* a parsed Retry-After delay, or -1 when none */
};

enum webhook_verdict_kind {
    WEBHOOK_DELIVERED,
    WEBHOOK_RETRY,   /* try again at next_at */
    WEBHOOK_DROPPED, /* a status that retrying will not change */
    WEBHOOK_FAILED,  /* out of tries */
    WEBHOOK_DISABLED /* 410 under the standard policy: the URL is disabled, delivery dropped */
};

struct webhook_verdict {
    enum webhook_verdict_kind kind;
    int64_t next_at; /* WEBHOOK_RETRY: when, in the clock of `now` */
};

/* Platform policy: tries after which a delivery fails. */
#define WEBHOOK_PLATFORM_TRIES 5
/* Retry-After is honoured up to this long. */
#define WEBHOOK_RETRY_AFTER_MAX_MS (24LL * 3600 * 1000)

/* The verdict on an attempt that was the tries-th (1-based, counted since creation or resend),
 * made at now. Jitter is drawn from the crypto generator. */
struct webhook_verdict webhook_retry_decide(enum webhook_policy p, const struct webhook_outcome *o,
                                            int tries, int64_t now);

/* The Standard Webhooks delay after the tries-th failed try without the jitter, or -1 when that
 * was the last one. */
int64_t webhook_standard_delay_ms(int tries);

/* Parses a Retry-After value (delta-seconds, or an IMF-fixdate HTTP-date compared with wall_now
 * in Unix ms) into a delay in [0, WEBHOOK_RETRY_AFTER_MAX_MS]; 0, or -1 when it is neither form. */
int webhook_retry_after_parse(const char *value, int64_t wall_now, int64_t *delay_ms);

/* The log name of an outcome's failure ("http" for a non-2xx status), or NULL for a 2xx. */
const char *webhook_error_class(const struct webhook_outcome *o);

/* The platform | standard name of p, and back (0, or -1 for another name). */
const char *webhook_policy_name(enum webhook_policy p);
int webhook_policy_parse(const char *s, enum webhook_policy *out);

#endif
