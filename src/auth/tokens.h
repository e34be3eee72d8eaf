/* tokens.h — API tokens (the API-management guide; portal-api.md §2.2): an App ID (UUID) and a
 * JWT-shaped value shown once. Only SHA-256 of the value is stored; checks are constant-time.
 * Rotation keeps the previous value valid for 7 days. */
#ifndef GP_TOKENS_H
#define GP_TOKENS_H

#include "auth/scopes.h"
#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#include <stdint.h>

#define TOKEN_MAX_DAYS (10 * 366)
#define TOKEN_ROTATE_GRACE_MS (7LL * 86400 * 1000)
#define TOKEN_VALUE_MAX 512

/* Who a request is from, once authenticated. */
struct principal {
    char app_id[37];
    scope_set scopes;
};

/* A token as just created or rotated: the only moment its value exists. */
struct token_issued {
    struct token_row row;
    const char *value;            /* arena memory */
};

/* Creates a token. expires_days 0 means the default (2 calendar years). created_by is the App ID
 * of the creating token, or NULL from the CLI. */
enum rc auth_token_create(struct store *s, const char *name, const char *description,
                          scope_set scopes, int expires_days, const char *created_by,
                          struct arena *a, struct token_issued *out, struct err *e);

/* Rotates a token: a new value valid for the token's original lifetime from now; the old value
 * is accepted for 7 more days. Runs inside the caller's write transaction, which the caller rolls
 * back on failure: the update and the read-back of the new row are two statements, and a failure
 * between them must not leave a secret stored whose value nobody was shown. */
enum rc auth_token_rotate(struct store *s, const char *id, struct arena *a,
                          struct token_issued *out, struct err *e);

/* Checks an App ID and token value as received (no trimming). RC_UNAUTH for anything wrong:
 * unknown id, wrong value, expired, revoked, or an old value past its grace period. */
enum rc auth_verify(struct store *s, const char *app_id, const char *value, struct arena *a,
                    struct principal *out, struct err *e);

#endif
