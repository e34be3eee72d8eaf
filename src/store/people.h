/* people.h — the store's half of view access (q_people.c, q_sessions.c): accounts that sign in
 * to see protected views, viewer groups and their members, browser sessions and view access
 * tokens. Kept beside store.h so the view-access code includes only what it uses. Secrets are
 * never stored: sessions and access tokens are looked up by the SHA-256 of their secret. */
#ifndef GP_STORE_PEOPLE_H
#define GP_STORE_PEOPLE_H

#include "store/store.h"

#define USER_ID_LEN 37          /* a UUID and its NUL */
#define USER_EMAIL_MAX 254      /* RFC 5321 path limit */
#define GROUP_NAME_MAX 200

struct user_row {
    char id[USER_ID_LEN];
    const char *email;
    const char *password_hash;  /* argon2id encoded */
    int is_operator, disabled;
    int64_t created_at, updated_at;
};

struct group_row {
    char id[USER_ID_LEN];
    const char *name;
    int64_t created_at, updated_at;
    int64_t members;            /* how many members (read only) */
};

struct session_row {
    unsigned char id[32];       /* SHA-256 of the cookie secret */
    char user_id[USER_ID_LEN];
    unsigned char csrf[32];
    int64_t created_at, expires_at;
};

struct vtoken_row {
    unsigned char hash[32];
    char view_id[ID_MAX];
    int64_t created_at, expires_at;
    const char *created_by;
};

/* ---- accounts ---- */

/* Inserts u with a fresh UUID written into u->id; RC_CONFLICT when an account already has the
 * same email, compared case-insensitively. */
enum rc store_user_insert(struct store *s, struct user_row *u, struct err *e);
/* RC_NOTFOUND when no account has this id. */
enum rc store_user_get(struct store *s, const char *id, struct arena *a, struct user_row *out,
                       struct err *e);
/* The account with this email (case-insensitive); RC_NOTFOUND when none. */
enum rc store_user_by_email(struct store *s, const char *email, struct arena *a,
                            struct user_row *out, struct err *e);
/* Every account in creation order. */
enum rc store_user_list(struct store *s, struct arena *a, struct user_row **rows, size_t *n,
                        struct err *e);
/* Enables or disables an account; disabling also ends its sessions. RC_NOTFOUND if missing. */
enum rc store_user_set_disabled(struct store *s, const char *id, int disabled, int64_t now,
                                struct err *e);
/* Deletes an account, its sessions and its group memberships. RC_NOTFOUND if missing. */
enum rc store_user_delete(struct store *s, const char *id, struct err *e);

/* ---- viewer groups ---- */

/* Inserts g with a fresh UUID written into g->id. */
enum rc store_group_insert(struct store *s, struct group_row *g, struct err *e);
enum rc store_group_get(struct store *s, const char *id, struct arena *a, struct group_row *out,
                        struct err *e);
/* Every group in creation order. */
enum rc store_group_list(struct store *s, struct arena *a, struct group_row **rows, size_t *n,
                         struct err *e);
/* Renames a group. RC_NOTFOUND if missing. */
enum rc store_group_rename(struct store *s, const char *id, const char *name, int64_t now,
                           struct err *e);
/* Deletes a group and its memberships. RC_NOTFOUND if missing. */
enum rc store_group_delete(struct store *s, const char *id, struct err *e);
/* Adds a member (idempotent: *added is 0 when already one). RC_NOTFOUND for a missing group or
 * account. */
enum rc store_group_add(struct store *s, const char *group_id, const char *user_id, int64_t now,
                        int *added, struct err *e);
/* Removes a member; RC_NOTFOUND when the account was not a member. */
enum rc store_group_remove(struct store *s, const char *group_id, const char *user_id,
                           struct err *e);
/* The members of a group, in the order they were added. */
enum rc store_group_members(struct store *s, const char *group_id, struct arena *a,
                            struct user_row **rows, size_t *n, struct err *e);
/* The ids of the groups the account belongs to (arena strings). */
enum rc store_user_groups(struct store *s, const char *user_id, struct arena *a, char ***ids,
                          size_t *n, struct err *e);

/* ---- sessions ---- */

enum rc store_session_insert(struct store *s, const struct session_row *r, struct err *e);
/* The session with this id that has not expired at now and whose account is enabled;
 * RC_NOTFOUND otherwise. */
enum rc store_session_get(struct store *s, const unsigned char id[32], int64_t now,
                          struct session_row *out, struct err *e);
/* Ends a session (no error when there is none). */
enum rc store_session_delete(struct store *s, const unsigned char id[32], struct err *e);
/* Deletes sessions that expired before now; *n (if non-NULL) gets how many. */
enum rc store_session_purge(struct store *s, int64_t now, int64_t *n, struct err *e);

/* ---- view access tokens ---- */

enum rc store_vtoken_insert(struct store *s, const struct vtoken_row *r, struct err *e);
/* The token with this hash; RC_NOTFOUND when none (expiry is the caller's to check). */
enum rc store_vtoken_get(struct store *s, const unsigned char hash[32], struct arena *a,
                         struct vtoken_row *out, struct err *e);

#endif
