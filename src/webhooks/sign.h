/* sign.h — Standard Webhooks signatures: HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>"
 * with the bytes of a "whsec_<base64>" secret, sent as "v1,<base64>"; several secrets (during the
 * 24 h after a rotation) give several signatures, space-separated. docs/webhooks.md. */
#ifndef GP_WEBHOOK_SIGN_H
#define GP_WEBHOOK_SIGN_H

#include "core/rc.h"

#include <stddef.h>
#include <stdint.h>

#define WEBHOOK_SECRET_PREFIX "whsec_"
/* Bytes of one "v1,<base64 of 32 bytes>" signature, NUL included. */
#define WEBHOOK_SIG_LEN 48
/* The most secrets that sign one request (the current one and those retired in the last 24 h). */
#define WEBHOOK_MAX_SECRETS 8
/* Bytes of a header value with WEBHOOK_MAX_SECRETS signatures. */
#define WEBHOOK_SIG_HEADER_LEN (WEBHOOK_MAX_SECRETS * WEBHOOK_SIG_LEN)

/* Writes "v1,<base64>" of msg_id.timestamp.body signed with secret ("whsec_" + base64 of 1 to 64
 * bytes) into out; RC_INVALID when the secret is not of that form. */
enum rc webhook_sign(const char *secret, const char *msg_id, int64_t timestamp, const void *body,
                     size_t body_len, char out[WEBHOOK_SIG_LEN], struct err *e);

/* The webhook-signature header value: one signature per secret (1 to WEBHOOK_MAX_SECRETS of
 * them), space-separated, into out (cap bytes). */
enum rc webhook_sign_header(const char *const *secrets, size_t nsecrets, const char *msg_id,
                            int64_t timestamp, const void *body, size_t body_len, char *out,
                            size_t cap, struct err *e);

#endif
