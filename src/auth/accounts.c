/* accounts.c — account and group rules shared by the CLI and the Portal API (accounts.h). */
#include "auth/accounts.h"

#include "auth/password.h"
#include "core/ids.h"

#include <string.h>

enum rc account_email_check(const char *email, const char *field, struct err *e)
{
    size_t n = email ? strlen(email) : 0;
    const char *at = email ? strchr(email, '@') : NULL;
    if (n == 0 || n > USER_EMAIL_MAX || !at || strchr(at + 1, '@'))
        goto bad;
    size_t local = (size_t)(at - email), domain = n - local - 1;
    if (local < 1 || local > 64 || domain < 1 || domain > 253)
        goto bad;
    for (const unsigned char *p = (const unsigned char *)email; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"',<>;\\()[]", *p))
            goto bad;
    return RC_OK;
bad:
    return err_set(e, RC_INVALID, "%s must be an email address (at most %d characters)", field,
                   USER_EMAIL_MAX);
}

enum rc account_group_name_check(const char *name, const char *field, struct err *e)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > GROUP_NAME_MAX)
        return err_set(e, RC_INVALID, "%s must be 1 to %d characters", field, GROUP_NAME_MAX);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return err_set(e, RC_INVALID, "%s must not contain control characters", field);
    return RC_OK;
}

enum rc account_create(struct store *s, const char *email, const char *password, int is_operator,
                       int64_t now, struct arena *a, struct user_row *out, struct err *e)
{
    enum rc rc;
    memset(out, 0, sizeof *out);
    if ((rc = account_email_check(email, "email", e)) != RC_OK ||
        (rc = password_hash(password, a, &out->password_hash, e)) != RC_OK)
        return rc;
    out->email = arena_strdup(a, email);
    if (!out->email)
        return err_set(e, RC_NOMEM, "out of memory");
    out->is_operator = is_operator != 0;
    out->created_at = now;
    return store_user_insert(s, out, e);
}

enum rc account_resolve(struct store *s, const char *ref, struct arena *a, struct user_row *out,
                        struct err *e)
{
    if (ref && id_uuid_valid(ref))
        return store_user_get(s, ref, a, out, e);
    if (ref && strchr(ref, '@') && strlen(ref) <= USER_EMAIL_MAX)
        return store_user_by_email(s, ref, a, out, e);
    return err_set(e, RC_NOTFOUND, "account not found");
}
