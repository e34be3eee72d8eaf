/* expiry.h — the view expiry rule (View access, expiration & deletion guide): expiry is checked at
 * day granularity; a view is locked from 00:00 UTC of the day after its expiresAt date. */
#ifndef GP_EXPIRY_H
#define GP_EXPIRY_H

#include <stdint.h>

/* 1 when a view expiring at expires_at (Unix ms) is locked at now (Unix ms). */
int view_locked(int64_t expires_at, int64_t now);

#endif
