/* people_json.c — JSON shapes of accounts and viewer groups (people_json.h). */
#include "api/people_json.h"

#include "json/jsonx.h"

json_t *obj_user(const struct user_row *u)
{
    return json_pack("{s:s, s:s, s:b, s:b, s:o, s:o}", "id", u->id, "email",
                     u->email ? u->email : "", "isOperator", u->is_operator, "disabled",
                     u->disabled, "createdAt", jsonx_time(u->created_at), "updatedAt",
                     jsonx_time(u->updated_at));
}

json_t *obj_group(const struct group_row *g, const struct user_row *members, size_t n)
{
    json_t *o = json_pack("{s:s, s:s, s:I, s:o, s:o}", "id", g->id, "name", g->name ? g->name : "",
                          "memberCount", (json_int_t)(members ? (int64_t)n : g->members),
                          "createdAt", jsonx_time(g->created_at), "updatedAt",
                          jsonx_time(g->updated_at));
    if (!o || !members)
        return o;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s}", "id", members[i].id, "email",
                                             members[i].email ? members[i].email : ""));
    json_object_set_new(o, "members", arr ? arr : json_array());
    return o;
}
