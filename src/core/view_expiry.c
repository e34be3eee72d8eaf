/* view_expiry.c — "a view expires at the start of the day at midnight UTC after its expiresAt
 * date". */
#include "core/view_expiry.h"

#include "core/clock.h"

int view_locked(int64_t expires_at, int64_t now)
{
    return now >= clock_day_start(expires_at) + MS_PER_DAY;
}

/* day_start(e) + 1 day <= now  ⟺  day_start(e) < day_start(now)  ⟺  e < day_start(now), since
 * day_start(now) is itself a day boundary. */
int64_t view_locked_below(int64_t now)
{
    return clock_day_start(now);
}
