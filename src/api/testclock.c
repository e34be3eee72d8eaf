/* testclock.c — the test clock (only with --test-clock): GET /_test/clock → {"now", "frozen"};
 * POST with {"advanceSeconds": N} or {"now": "<RFC 3339>"}, and/or {"freeze": true|false}. Every
 * time rule reads core/clock, so moving it moves token expiry, credential expiry, view expiry, rate
 * windows and webhook retries together. The setting is also written to the store's test_clock row,
 * which every process started with --test-clock follows (cli/clock_follow.h), so one POST moves
 * them all. */
#include "api/api_int.h"

#include "core/clock.h"
#include "core/log.h"
#include "jobs/jobs.h"
#include "json/jsonx.h"
#include "store/webhook_events.h"

#include <math.h>

static struct resp *now_reply(struct api_call *c)
{
    char t[32];
    return reply_json(c->r, 200, json_pack("{s:s, s:b}", "now", clock_format(clock_now_ms(), 1, t),
                                           "frozen", clock_frozen()));
}

struct resp *h_clock_get(struct api_call *c)
{
    return now_reply(c);
}

struct resp *h_clock_set(struct api_call *c)
{
    static const char *const keys[] = {"advanceSeconds", "now", "freeze", NULL};
    struct err e = {0};
    int freeze = -1;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_bool(c->body, "", "freeze", 0, &freeze, &e) != RC_OK)
        return reply_err(c->r, &e);
    json_t *adv = json_object_get(c->body, "advanceSeconds");
    json_t *now = json_object_get(c->body, "now");
    if (adv && now)
        return reply_error(c->r, RC_INVALID, "give advanceSeconds or now, not both");
    if (!adv && !now && freeze < 0)
        return reply_error(c->r, RC_INVALID, "give advanceSeconds, now or freeze");
    if (adv) {
        /* Up to 100 years either way; fractions of a second are kept to the millisecond. */
        if (!json_is_number(adv) || !isfinite(json_number_value(adv)) ||
            fabs(json_number_value(adv)) > 100.0 * 366 * 86400)
            return reply_error(c->r, RC_INVALID, "advanceSeconds must be a number of seconds");
        clock_advance_ms((int64_t)llround(json_number_value(adv) * 1000.0));
    } else if (now) {
        int64_t ms;
        if (!json_is_string(now) || clock_parse(json_string_value(now), &ms))
            return reply_error(c->r, RC_INVALID, "now must be an RFC 3339 timestamp");
        clock_set_ms(ms);
    }
    /* Freeze after setting, so {"now": X, "freeze": true} stands exactly at X. */
    if (freeze >= 0)
        clock_freeze(freeze);
    /* The shared row: worker processes and other nodes started with --test-clock follow it. */
    struct clock_state st;
    clock_state_get(&st);
    struct test_clock_row row = {.offset_ms = st.offset_ms,
                                 .frozen = st.frozen,
                                 .frozen_at_ms = st.frozen_at_ms,
                                 .updated_at = clock_mono_ms()};
    struct err se = {0};
    if (store_test_clock_put(c->s, &row, &se) != RC_OK)
        return reply_err(c->r, &se);
    jobs_notify();   /* jobs that just fell due run now, not at the next poll */
    char t[32];
    log_info("test clock set to %s%s", clock_format(clock_now_ms(), 1, t),
             clock_frozen() ? " (frozen)" : "");
    return now_reply(c);
}
