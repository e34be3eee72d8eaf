/* reply.c — messages for 5xx never carry internal detail to the client; the detail goes to the
 * log with the request id, which the client sees in X-Request-Id. */
#include "api/reply.h"

#include "core/log.h"
#include "json/jsonx.h"

#include <stdlib.h>
#include <string.h>

static struct resp *fallback(struct req *r)
{
    static const char body[] = "{\"code\":\"internal\",\"message\":\"internal error\"}";
    struct resp *p = resp_new(r, 500);
    if (p && resp_set_body(r, p, "application/json", body, sizeof body - 1))
        return NULL;
    return p;
}

struct resp *reply_json(struct req *r, int status, json_t *v)
{
    if (!v)
        return fallback(r);
    size_t len;
    char *s = jsonx_dump(v, &len);
    json_decref(v);
    if (!s)
        return fallback(r);
    struct resp *p = resp_new(r, status);
    int bad = !p || resp_set_body(r, p, "application/json", s, len);
    free(s);
    return bad ? fallback(r) : p;
}

struct resp *reply_error(struct req *r, enum rc rc, const char *msg)
{
    struct resp *p = resp_json_error(r, rc_http_status(rc), rc_code(rc), msg);
    return p ? p : fallback(r);
}

struct resp *reply_err(struct req *r, const struct err *e)
{
    int status = rc_http_status(e->rc);
    if (status >= 500) {
        log_error("rid=%s %s: %s", r->request_id, rc_name(e->rc), e->msg);
        return reply_error(r, e->rc, status == 503 ? "service temporarily unavailable, retry"
                                                   : "internal error");
    }
    return reply_error(r, e->rc, e->msg);
}
