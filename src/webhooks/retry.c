/* retry.c — see retry.h. */
#include "webhooks/retry.h"

#include "core/clock.h"
#include "core/crypto.h"

#include <string.h>

#define MIN_MS (60LL * 1000)
#define HOUR_MS (60LL * MIN_MS)

/* After the n-th failed try (index n-1), Standard Webhooks' suggested schedule. */
static const int64_t standard_steps[] = {5 * 1000,     5 * MIN_MS,   30 * MIN_MS,
                                         2 * HOUR_MS,  5 * HOUR_MS,  10 * HOUR_MS,
                                         14 * HOUR_MS, 20 * HOUR_MS, 24 * HOUR_MS};
#define NSTEPS ((int)(sizeof standard_steps / sizeof standard_steps[0]))

/* Uniform in [0, span]. */
static int64_t uniform(int64_t span)
{
    uint64_t r = 0;
    crypto_random(&r, sizeof r);
    return span > 0 ? (int64_t)(r % (uint64_t)(span + 1)) : 0;
}

int64_t webhook_standard_delay_ms(int tries)
{
    return tries >= 1 && tries <= NSTEPS ? standard_steps[tries - 1] : -1;
}

/* A failure a later try may not meet: 5xx, and every way of getting no answer. */
static int transient(const struct webhook_outcome *o)
{
    if (o->fault == WEBHOOK_RESPONSE)
        return o->http_status >= 500 && o->http_status <= 599;
    return o->fault != WEBHOOK_PROTOCOL;
}

static struct webhook_verdict platform(const struct webhook_outcome *o, int tries, int64_t now)
{
    if (!transient(o))
        return (struct webhook_verdict){WEBHOOK_DROPPED, 0};
    if (tries >= WEBHOOK_PLATFORM_TRIES)
        return (struct webhook_verdict){WEBHOOK_FAILED, 0};
    return (struct webhook_verdict){WEBHOOK_RETRY, now + 10 * MIN_MS + uniform(5 * MIN_MS)};
}

static struct webhook_verdict standard(const struct webhook_outcome *o, int tries, int64_t now)
{
    int st = o->fault == WEBHOOK_RESPONSE ? o->http_status : 0;
    if (st == 410)
        return (struct webhook_verdict){WEBHOOK_DISABLED, 0};
    /* 429 is "slow down", not a refusal: retried like a 5xx. */
    if (st != 429 && !transient(o))
        return (struct webhook_verdict){WEBHOOK_DROPPED, 0};
    int64_t step = webhook_standard_delay_ms(tries);
    if (step < 0)
        return (struct webhook_verdict){WEBHOOK_FAILED, 0};
    int slow_down = st == 429 || st == 502 || st == 503 || st == 504;
    if (slow_down && o->retry_after_ms >= 0) {
        int64_t d = o->retry_after_ms > WEBHOOK_RETRY_AFTER_MAX_MS ? WEBHOOK_RETRY_AFTER_MAX_MS
                                                                   : o->retry_after_ms;
        return (struct webhook_verdict){WEBHOOK_RETRY, now + d};
    }
    /* Up to +10% jitter, never earlier than the schedule, so a crowd of deliveries that failed
     * together does not come back together. */
    return (struct webhook_verdict){WEBHOOK_RETRY, now + step + uniform(step / 10)};
}

struct webhook_verdict webhook_retry_decide(enum webhook_policy p, const struct webhook_outcome *o,
                                            int tries, int64_t now)
{
    if (o->fault == WEBHOOK_RESPONSE && o->http_status >= 200 && o->http_status <= 299)
        return (struct webhook_verdict){WEBHOOK_DELIVERED, 0};
    return p == WEBHOOK_POLICY_STANDARD ? standard(o, tries, now) : platform(o, tries, now);
}

/* Delta-seconds: 1 to 10 digits (anything longer is far beyond the cap anyway, and clamped). */
static int delta_seconds(const char *s, int64_t *ms)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || s[n] != '\0')
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
        if (v > WEBHOOK_RETRY_AFTER_MAX_MS / 1000) {
            *ms = WEBHOOK_RETRY_AFTER_MAX_MS;
            return 0;
        }
    }
    *ms = v * 1000;
    return 0;
}

/* IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7), the form senders must use. */
static int imf_fixdate(const char *s, int64_t *ms)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
        s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25] != ' ' || strcmp(s + 26, "GMT"))
        return -1;
    int dow = -1, mon = -1;
    for (int i = 0; i < 7; i++)
        if (!memcmp(s, days[i], 3))
            dow = i;
    for (int i = 0; i < 12; i++)
        if (!memcmp(s + 8, months[i], 3))
            mon = i + 1;
    int d, y, h, mi, sec;
    if (dow < 0 || mon < 0 || clock_digits(s + 5, 2, &d) || clock_digits(s + 12, 4, &y) ||
        clock_digits(s + 17, 2, &h) || clock_digits(s + 20, 2, &mi) ||
        clock_digits(s + 23, 2, &sec) || y < 1 || !clock_valid_date(y, mon, d) || h > 23 ||
        mi > 59 || sec > 60)
        return -1;
    *ms = clock_civil_ms(y, mon, d, h, mi, sec > 59 ? 59 : sec);
    return 0;
}

int webhook_retry_after_parse(const char *value, int64_t wall_now, int64_t *delay_ms)
{
    if (!value)
        return -1;
    /* Optional whitespace around the field value (RFC 9110 §5.5). */
    while (*value == ' ' || *value == '\t')
        value++;
    char v[40];
    size_t n = strlen(value);
    while (n && (value[n - 1] == ' ' || value[n - 1] == '\t' || value[n - 1] == '\r' ||
                 value[n - 1] == '\n'))
        n--;
    if (n == 0 || n >= sizeof v)
        return -1;
    memcpy(v, value, n);
    v[n] = '\0';
    int64_t d, at;
    if (delta_seconds(v, &d) == 0) {
        *delay_ms = d;
        return 0;
    }
    if (imf_fixdate(v, &at) != 0)
        return -1;
    d = at - wall_now;
    *delay_ms = d < 0 ? 0 : d > WEBHOOK_RETRY_AFTER_MAX_MS ? WEBHOOK_RETRY_AFTER_MAX_MS : d;
    return 0;
}

const char *webhook_error_class(const struct webhook_outcome *o)
{
    switch (o->fault) {
    case WEBHOOK_RESPONSE:
        return o->http_status >= 200 && o->http_status <= 299 ? NULL : "http";
    case WEBHOOK_TIMEOUT:
        return "timeout";
    case WEBHOOK_CONNECT:
        return "connect";
    case WEBHOOK_DNS:
        return "dns";
    case WEBHOOK_TLS:
        return "tls";
    case WEBHOOK_REFUSED_ADDRESS:
        return "refused_address";
    case WEBHOOK_PROTOCOL:
        return "protocol";
    }
    return "connect";
}

const char *webhook_policy_name(enum webhook_policy p)
{
    return p == WEBHOOK_POLICY_STANDARD ? "standard" : "platform";
}

int webhook_policy_parse(const char *s, enum webhook_policy *out)
{
    if (s && strcmp(s, "platform") == 0)
        *out = WEBHOOK_POLICY_PLATFORM;
    else if (s && strcmp(s, "standard") == 0)
        *out = WEBHOOK_POLICY_STANDARD;
    else
        return -1;
    return 0;
}
