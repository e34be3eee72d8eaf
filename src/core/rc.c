/* rc.c — the table from result codes to HTTP statuses and the platform's error codes
 * (portal-api.md §2.5: lower-case gRPC canonical codes). */
#include "core/rc.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
    int status;
    const char *code;
    const char *name;
} rc_table[RC__COUNT] = {
    [RC_OK]            = {200, "ok", "RC_OK"},
    [RC_INVALID]       = {400, "invalid_argument", "RC_INVALID"},
    [RC_UNAUTH]        = {401, "unauthenticated", "RC_UNAUTH"},
    [RC_DENIED]        = {403, "permission_denied", "RC_DENIED"},
    [RC_NOTFOUND]      = {404, "not_found", "RC_NOTFOUND"},
    [RC_METHOD]        = {405, "invalid_argument", "RC_METHOD"},
    [RC_CONFLICT]      = {409, "already_exists", "RC_CONFLICT"},
    [RC_PRECONDITION]  = {400, "failed_precondition", "RC_PRECONDITION"},
    [RC_TOOLARGE]      = {413, "invalid_argument", "RC_TOOLARGE"},
    [RC_RATELIMIT]     = {429, "resource_exhausted", "RC_RATELIMIT"},
    [RC_INTERNAL]      = {500, "internal", "RC_INTERNAL"},
    [RC_UNIMPLEMENTED] = {501, "unimplemented", "RC_UNIMPLEMENTED"},
    [RC_BUSY]          = {503, "unavailable", "RC_BUSY"},
    [RC_NOMEM]         = {503, "unavailable", "RC_NOMEM"},
    [RC_IO]            = {500, "internal", "RC_IO"},
    [RC_DONE]          = {500, "internal", "RC_DONE"},
    [RC_ROW]           = {500, "internal", "RC_ROW"},
};

enum rc err_set(struct err *e, enum rc rc, const char *fmt, ...)
{
    if (e) {
        e->rc = rc;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int rc_http_status(enum rc rc)
{
    return (rc >= 0 && rc < RC__COUNT) ? rc_table[rc].status : 500;
}

const char *rc_code(enum rc rc)
{
    return (rc >= 0 && rc < RC__COUNT) ? rc_table[rc].code : "internal";
}

const char *rc_name(enum rc rc)
{
    return (rc >= 0 && rc < RC__COUNT) ? rc_table[rc].name : "RC_?";
}
