/* view_expiry.h — the view expiry rule (View access, expiration & deletion guide): expiry is
 * checked at day granularity; a view is locked from 00:00 UTC of the day after its expiresAt date.
 * In core so the viewer (which locks pages) and the webhook janitor (which reports view.expired)
 * apply the one rule. */
#ifndef GP_VIEW_EXPIRY_H
#define GP_VIEW_EXPIRY_H

#include <stdint.h>

/* 1 when a view expiring at expires_at (Unix ms) is locked at now (Unix ms). */
int view_locked(int64_t expires_at, int64_t now);

/* The bound of the same rule for a query: at now, exactly the views with expires_at below the
 * returned instant are locked. */
int64_t view_locked_below(int64_t now);

#endif
