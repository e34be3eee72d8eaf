/* accounts.h — the rules shared by the CLI and the Portal API for viewer accounts and groups:
 * what a valid email and group name are, creating an account with a hashed password, and finding
 * an account from a reference that is either its id (UUID) or its email. */
#ifndef GP_ACCOUNTS_H
#define GP_ACCOUNTS_H

#include "core/arena.h"
#include "core/rc.h"
#include "store/people.h"

/* RC_OK when email is a plausible address: one '@', a local part of 1-64 and a domain of 1-253
 * characters, at most USER_EMAIL_MAX in all, no spaces, control characters, quotes, commas or
 * angle brackets. RC_INVALID naming field otherwise. */
enum rc account_email_check(const char *email, const char *field, struct err *e);

/* RC_OK when name is 1 to GROUP_NAME_MAX characters without control characters. */
enum rc account_group_name_check(const char *name, const char *field, struct err *e);

/* Creates an account: checks the email, hashes the password (argon2id), inserts. RC_CONFLICT
 * when the email is taken (case-insensitively). out->id is the new id. */
enum rc account_create(struct store *s, const char *email, const char *password, int is_operator,
                       int64_t now, struct arena *a, struct user_row *out, struct err *e);

/* The account a reference names: a UUID is an id, anything with '@' an email. RC_NOTFOUND
 * ("account not found") otherwise. */
enum rc account_resolve(struct store *s, const char *ref, struct arena *a, struct user_row *out,
                        struct err *e);

#endif
