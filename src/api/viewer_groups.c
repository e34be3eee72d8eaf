/* viewer_groups.c — the Portal API for viewer groups, a Guidepost addition where the platform's
 * documents name viewerGroups on views but publish no endpoints for them (docs/api.md, "Viewer
 * groups"): list, create, read, rename, delete, add and remove members. Members are accounts,
 * named by id or email. Deleting a group leaves the views that name it untouched: the id then
 * matches nobody. */
#include "api/api_int.h"

#include "api/people_json.h"
#include "auth/accounts.h"
#include "core/clock.h"
#include "core/ids.h"
#include "json/jsonx.h"

#include <stdio.h>
#include <string.h>

#define GROUP_MEMBERS_MAX 1000

static struct resp *group_not_found(struct api_call *c)
{
    return reply_error(c->r, RC_NOTFOUND, "viewer group not found");
}

static struct resp *fail(struct api_call *c, const struct err *e)
{
    store_rollback(c->s);
    return reply_err(c->r, e);
}

/* The group with its members (q_collect gives a non-NULL array even when there are none),
 * read in the caller's transaction. */
static struct resp *group_reply(struct api_call *c, const char *id)
{
    struct err e = {0};
    struct group_row g;
    struct user_row *m = NULL;
    size_t n = 0;
    if (store_group_get(c->s, id, c->r->arena, &g, &e) != RC_OK ||
        store_group_members(c->s, id, c->r->arena, &m, &n, &e) != RC_OK)
        return fail(c, &e);
    store_rollback(c->s);
    return reply_json(c->r, 200, obj_group(&g, m, n));
}

/* Adds the account named by ref (id or email) to the group; field names it in errors. */
static enum rc add_member(struct api_call *c, const char *group_id, const char *ref,
                          const char *field, int64_t now, struct err *e)
{
    struct user_row u;
    enum rc rc = account_resolve(c->s, ref, c->r->arena, &u, e);
    if (rc == RC_NOTFOUND)
        return err_set(e, RC_INVALID, "%s: no account has this id or email", field);
    if (rc != RC_OK)
        return rc;
    return store_group_add(c->s, group_id, u.id, now, NULL, e);
}

/* GET /api/v1/viewerGroups */
struct resp *h_group_list(struct api_call *c)
{
    API_LIST_QUERY(c, NULL);
    struct err e = {0};
    struct group_row *rows;
    size_t n;
    if (store_group_list(c->s, c->r->arena, &rows, &n, &e) != RC_OK)
        return reply_err(c->r, &e);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, obj_group(&rows[i], NULL, 0));
    return reply_json(c->r, 200, json_pack("{s:o}", "viewerGroups", arr ? arr : json_array()));
}

/* POST /api/v1/viewerGroups {"name", "members"?: [id or email, ...]} */
struct resp *h_group_create(struct api_call *c)
{
    struct err e = {0};
    static const char *const keys[] = {"name", "members", NULL};
    const char *name = NULL;
    json_t *members = NULL;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "name", 1, GROUP_NAME_MAX, &name, &e) != RC_OK ||
        account_group_name_check(name, "name", &e) != RC_OK ||
        jsonx_string_array(c->body, "", "members", GROUP_MEMBERS_MAX, USER_EMAIL_MAX, &members,
                           &e) != RC_OK)
        return reply_err(c->r, &e);
    int64_t now = clock_now_ms();
    struct group_row g = {.name = name, .created_at = now};
    if (store_begin(c->s, 1, &e) != RC_OK || store_group_insert(c->s, &g, &e) != RC_OK)
        return fail(c, &e);
    size_t i;
    json_t *it;
    json_array_foreach(members, i, it) {
        char field[32];
        snprintf(field, sizeof field, "members[%zu]", i);
        if (add_member(c, g.id, json_string_value(it), field, now, &e) != RC_OK)
            return fail(c, &e);
    }
    if (store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    return group_reply(c, g.id);
}

/* GET /api/v1/viewerGroups/{groupId} */
struct resp *h_group_get(struct api_call *c)
{
    const char *id = api_param(c, "groupId");
    if (!id_uuid_valid(id))
        return group_not_found(c);
    struct err e = {0};
    if (store_begin(c->s, 0, &e) != RC_OK)
        return reply_err(c->r, &e);
    return group_reply(c, id);
}

/* PATCH /api/v1/viewerGroups/{groupId} {"name"} */
struct resp *h_group_update(struct api_call *c)
{
    const char *id = api_param(c, "groupId");
    if (!id_uuid_valid(id))
        return group_not_found(c);
    struct err e = {0};
    static const char *const keys[] = {"name", NULL};
    const char *name = NULL;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "name", 0, GROUP_NAME_MAX, &name, &e) != RC_OK ||
        (name && account_group_name_check(name, "name", &e) != RC_OK))
        return reply_err(c->r, &e);
    if (store_begin(c->s, 1, &e) != RC_OK ||
        (name && store_group_rename(c->s, id, name, clock_now_ms(), &e) != RC_OK) ||
        store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    if (store_begin(c->s, 0, &e) != RC_OK)
        return reply_err(c->r, &e);
    return group_reply(c, id);
}

/* DELETE /api/v1/viewerGroups/{groupId} */
struct resp *h_group_delete(struct api_call *c)
{
    const char *id = api_param(c, "groupId");
    if (!id_uuid_valid(id))
        return group_not_found(c);
    struct err e = {0};
    if (store_group_delete(c->s, id, &e) != RC_OK)
        return reply_err(c->r, &e);
    return reply_json(c->r, 200, json_pack("{s:s, s:b}", "id", id, "deleted", 1));
}

/* POST /api/v1/viewerGroups/{groupId}/members {"user": id or email}; adding a member twice is
 * not an error. */
struct resp *h_group_member_add(struct api_call *c)
{
    const char *id = api_param(c, "groupId");
    if (!id_uuid_valid(id))
        return group_not_found(c);
    struct err e = {0};
    static const char *const keys[] = {"user", NULL};
    const char *ref = NULL;
    if (jsonx_only_keys(c->body, "", keys, &e) != RC_OK ||
        jsonx_string(c->body, "", "user", 1, USER_EMAIL_MAX, &ref, &e) != RC_OK)
        return reply_err(c->r, &e);
    if (store_begin(c->s, 1, &e) != RC_OK ||
        add_member(c, id, ref, "user", clock_now_ms(), &e) != RC_OK ||
        store_commit(c->s, &e) != RC_OK)
        return fail(c, &e);
    if (store_begin(c->s, 0, &e) != RC_OK)
        return reply_err(c->r, &e);
    return group_reply(c, id);
}

/* DELETE /api/v1/viewerGroups/{groupId}/members/{user}: user is an account id or email. */
struct resp *h_group_member_remove(struct api_call *c)
{
    const char *id = api_param(c, "groupId");
    if (!id_uuid_valid(id))
        return group_not_found(c);
    struct err e = {0};
    struct user_row u;
    if (store_begin(c->s, 1, &e) != RC_OK ||
        account_resolve(c->s, api_param(c, "user"), c->r->arena, &u, &e) != RC_OK ||
        store_group_remove(c->s, id, u.id, &e) != RC_OK || store_commit(c->s, &e) != RC_OK) {
        if (e.rc == RC_NOTFOUND && strcmp(e.msg, "group member not found") == 0) {
            /* Tell a missing group from a non-member. */
            struct group_row g;
            struct err e2 = {0};
            if (store_group_get(c->s, id, c->r->arena, &g, &e2) != RC_OK)
                return fail(c, &e2);
        }
        return fail(c, &e);
    }
    if (store_begin(c->s, 0, &e) != RC_OK)
        return reply_err(c->r, &e);
    return group_reply(c, id);
}
