/* resp.c — responses live in the request arena, so handlers never free them. */
#include "http/http.h"

#include "json/jsonx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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

static void close_fd(void *p)
{
    struct resp *r = p;
    if (r->fd > 0)
        close(r->fd);
    r->fd = 0;
}

int resp_set_file(struct req *r, struct resp *p, const char *ctype, int fd, uint64_t offset,
                  uint64_t length)
{
    if (arena_defer(r->arena, close_fd, p)) {
        close(fd);
        return -1;
    }
    p->fd = fd;
    p->fd_offset = offset;
    p->fd_length = length;
    p->content_type = ctype;
    return 0;
}

struct resp *resp_json_error(struct req *r, int status, const char *code, const char *msg)
{
    json_t *v = json_pack("{s:s, s:o}", "code", code, "message", jsonx_text(msg ? msg : ""));
    size_t len = 0;
    char *body = v ? jsonx_dump(v, &len) : NULL;
    json_decref(v);
    struct resp *p = body ? resp_new(r, status) : NULL;
    if (p && resp_set_body(r, p, "application/json", body, len))
        p = NULL;
    free(body);
    return p;
}
