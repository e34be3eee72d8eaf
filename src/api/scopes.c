/* scopes.c — GET /api/v1/scopes: public, the 11 documented scopes in the documented order. */
#include "api/api_int.h"

struct resp *h_scopes(struct api_call *c)
{
    API_LIST_QUERY(c, NULL);
    json_t *a = json_array();
    for (int i = 0; a && i < SCOPE__COUNT; i++)
        json_array_append_new(a, json_string(scope_name((enum scope)i)));
    return reply_json(c->r, 200, a);
}
