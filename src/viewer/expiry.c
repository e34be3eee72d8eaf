/* expiry.c — "a view expires at the start of the day at midnight UTC after its expiresAt date". */
#include "viewer/expiry.h"

#include "core/clock.h"

int view_locked(int64_t expires_at, int64_t now)
{
    return now >= clock_day_start(expires_at) + MS_PER_DAY;
}
