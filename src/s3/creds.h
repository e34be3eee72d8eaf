/* creds.h — the temporary S3 credentials an upload permit hands out (the S3 upload pattern:
 * access key id, secret and session token, valid 24 hours, for exactly one bucket and key).
 * Nothing secret is stored: the secret is derived from a server key and the key id, and only a
 * hash of the session token is kept. */
#ifndef GP_S3_CREDS_H
#define GP_S3_CREDS_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

#define S3_AKID_LEN 20          /* "ASIA" + 16, the shape of AWS temporary key ids */
#define S3_SECRET_LEN 40
#define S3_CREDS_TTL_MS (24LL * 3600 * 1000)

struct s3_creds {
    char access_key_id[S3_AKID_LEN + 1];
    char secret[S3_SECRET_LEN + 1];
    const char *session_token;  /* arena */
    unsigned char session_hash[32];
};

/* Mints a fresh key id, its secret and a session token. */
enum rc s3_creds_mint(struct store *s, struct arena *a, struct s3_creds *out, struct err *e);

/* The secret of a key id (derived; the same on every node sharing the store). */
enum rc s3_creds_secret(struct store *s, const char *akid, char out[S3_SECRET_LEN + 1],
                        struct err *e);

/* 1 when akid has the shape of our key ids. */
int s3_creds_akid_valid(const char *akid);

#endif
