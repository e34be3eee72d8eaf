/* resp.c — responses live in the request arena, so handlers never free them. */
#include "http/http.h"

#include <string.h>
#include <strings.h>

struct resp *resp_new(struct req *r, int status)
{
    struct resp *p = arena_alloc(r->arena, sizeof *p);
    if (p)
        p->status = status;
    return p;
}

int resp_set_body(struct req *r, struct resp *p, const char *ctype, const char *body, size_t len)
{
    char *copy = arena_strndup(r->arena, body, len);
    if (!copy)
        return -1;
    p->body = copy;
    p->len = len;
    p->content_type = ctype;
    return 0;
}

int resp_add_header(struct req *r, struct resp *p, const char *name, const char *value)
{
    if (p->nhdr >= HTTP_MAX_RESP_HEADERS)
        return -1;
    const char *n = arena_strdup(r->arena, name), *v = arena_strdup(r->arena, value);
    if (!n || !v)
        return -1;
    p->hdr[p->nhdr].name = n;
    p->hdr[p->nhdr].value = v;
    p->nhdr++;
    return 0;
}

const char *resp_get_header(const struct resp *p, const char *name)
{
    for (int i = 0; i < p->nhdr; i++)
        if (strcasecmp(p->hdr[i].name, name) == 0)
            return p->hdr[i].value;
    return NULL;
}
