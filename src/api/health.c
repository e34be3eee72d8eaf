/* health.c — GET /healthz: the process is up and its store answers. */
#include "api/api_int.h"

struct resp *h_healthz(struct api_call *c)
{
    struct err e = {0};
    if (store_ping(c->s, &e) != RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 200, json_pack("{s:s}", "status", "ok"));
}
