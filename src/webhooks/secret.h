/* secret.h — the installation's webhook signing secret: "whsec_" + base64 of 32 random bytes,
 * created on first use (by whichever process asks first; all agree on one), replaced by rotate.
 * A retired secret keeps signing for 24 h after its rotation, so receivers can switch over. */
#ifndef GP_WEBHOOK_SECRET_H
#define GP_WEBHOOK_SECRET_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* How long a retired secret still signs. */
#define WEBHOOK_SECRET_OVERLAP_MS (24LL * 3600 * 1000)

/* The current secret (in a), created now if there is none. Runs its own transaction when it
 * creates one, so call it outside any. */
enum rc webhook_secret_current(struct store *s, int64_t now, struct arena *a, const char **secret,
                               struct err *e);

/* Retires the current secret (it signs until now + WEBHOOK_SECRET_OVERLAP_MS, written to
 * *previous_valid_until) and makes a new current one (in a), inside the caller's write
 * transaction. */
enum rc webhook_secret_rotate(struct store *s, int64_t now, struct arena *a, const char **secret,
                              int64_t *previous_valid_until, struct err *e);

/* The secrets that sign a request made at now: the current one (created if none) first, then
 * those retired less than WEBHOOK_SECRET_OVERLAP_MS ago; at least one, at most
 * WEBHOOK_MAX_SECRETS. Call outside any transaction. */
enum rc webhook_secret_signing(struct store *s, int64_t now, struct arena *a, const char ***secrets,
                               size_t *n, struct err *e);

#endif
