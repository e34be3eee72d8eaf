/* api_int.h — what the handlers share: the per-request call context and the route entry. */
#ifndef GP_API_INT_H
#define GP_API_INT_H

#include "api/api.h"
#include "api/reply.h"
#include "auth/scopes.h"
#include "auth/tokens.h"
#include "http/router.h"
#include "store/store.h"

#include <jansson.h>

#define BODY_NONE 0
#define FORM_BODY_LIMIT 16384   /* bytes: an email, a password, two tokens and a path */

struct api_call {
    struct req *r;
    struct api_config *cfg;
    const struct api_route *route;
    struct route_match m;
    struct principal who;       /* valid when the route authenticates */
    struct store *s;
    json_t *body;               /* parsed JSON body for routes that take one (owned by the arena) */
};

typedef struct resp *(*api_handler)(struct api_call *c);

enum api_auth {
    AUTH_NONE,       /* public */
    AUTH_TOKEN,      /* X-Plntr-App-Id + X-Plntr-App-Token */
    AUTH_TESTCLOCK,  /* public, and only when the server runs with --test-clock */
    AUTH_PAGE,       /* public HTML outside /api/v1 (sign-in, view pages): the handler decides
                        access itself from cookies and tokens (viewer/access.h) */
    AUTH_TESTFAULTS  /* public, and only when the server runs with --test-faults */
};

enum api_body {
    BODY_EMPTY,      /* no body expected; one that is sent is ignored up to the JSON limit */
    BODY_JSON,       /* a JSON object (an empty body counts as {}) */
    BODY_FORM        /* an HTML form (application/x-www-form-urlencoded), read by the handler */
};

struct api_route {
    struct route_key key;
    api_handler fn;
    enum api_auth auth;
    scope_set any_of;           /* one of these scopes is required; 0 = any valid credential */
    enum api_body body;
};

extern const struct api_route api_routes[];
extern const size_t api_nroutes;
extern const struct api_route page_routes[];
extern const size_t page_nroutes;

/* Every list route calls this first with the query parameters it reads (NULL-terminated): a 400
 * invalid_argument naming the first other parameter, or NULL when there is none. */
struct resp *api_query_only(struct api_call *c, const char *const *allowed);
/* The first statement of a list handler: returns that 400 from the handler when there is one.
 * API_LIST_QUERY(c, "limit", "cursor"); API_LIST_QUERY(c, NULL) for a list that takes none. */
#define API_LIST_QUERY(c, ...)                                                                     \
    do {                                                                                           \
        static const char *const list_query_[] = {__VA_ARGS__, NULL};                              \
        struct resp *list_query_bad_ = api_query_only((c), list_query_);                           \
        if (list_query_bad_)                                                                       \
            return list_query_bad_;                                                                \
    } while (0)

/* The route parameter name (present by construction of the route table). */
const char *api_param(const struct api_call *c, const char *name);

/* Handlers, one group per resource file. */
struct resp *h_healthz(struct api_call *c);
struct resp *h_scopes(struct api_call *c);
struct resp *h_integrations_test(struct api_call *c);
struct resp *h_clock_get(struct api_call *c);
struct resp *h_clock_set(struct api_call *c);
struct resp *h_faults_set(struct api_call *c);
struct resp *h_op_workorder_list(struct api_call *c);
struct resp *h_op_workorder_advance(struct api_call *c);
struct resp *h_op_workorder_reject(struct api_call *c);
struct resp *h_op_workorder_cancel(struct api_call *c);
struct resp *h_op_workorder_retry(struct api_call *c);
struct resp *h_token_create(struct api_call *c);
struct resp *h_token_list(struct api_call *c);
struct resp *h_token_get(struct api_call *c);
struct resp *h_token_update(struct api_call *c);
struct resp *h_token_rotate(struct api_call *c);
struct resp *h_token_revoke(struct api_call *c);
struct resp *h_iguide_create(struct api_call *c);
struct resp *h_iguide_list(struct api_call *c);
struct resp *h_iguide_get(struct api_call *c);
struct resp *h_iguide_delete(struct api_call *c);
struct resp *h_iguide_webhooks_put(struct api_call *c);
struct resp *h_ready_object(struct api_call *c);
struct resp *h_ready_dispatch(struct api_call *c);
struct resp *h_webhook_event_list(struct api_call *c);
struct resp *h_webhook_event_get(struct api_call *c);
struct resp *h_workorder_list(struct api_call *c);
struct resp *h_workorder_get(struct api_call *c);
struct resp *h_workorder_create(struct api_call *c);
struct resp *h_workorder_cancel(struct api_call *c);
struct resp *h_deliverable_list(struct api_call *c);
struct resp *h_deliverable_download(struct api_call *c);
struct resp *h_stitch_permit(struct api_call *c);
struct resp *h_stitch_process(struct api_call *c);
struct resp *h_view_create(struct api_call *c);
struct resp *h_view_list(struct api_call *c);
struct resp *h_iguide_view_get(struct api_call *c);
struct resp *h_view_get(struct api_call *c);
struct resp *h_view_update(struct api_call *c);
struct resp *h_view_delete(struct api_call *c);
struct resp *h_view_expires(struct api_call *c);
struct resp *h_iguide_views_expires(struct api_call *c);
struct resp *h_view_access_token(struct api_call *c);
struct resp *h_signin_form(struct api_call *c);
struct resp *h_signin(struct api_call *c);
struct resp *h_signout(struct api_call *c);
struct resp *h_group_list(struct api_call *c);
struct resp *h_group_create(struct api_call *c);
struct resp *h_group_get(struct api_call *c);
struct resp *h_group_update(struct api_call *c);
struct resp *h_group_delete(struct api_call *c);
struct resp *h_group_member_add(struct api_call *c);
struct resp *h_group_member_remove(struct api_call *c);
struct resp *h_webhook_resend(struct api_call *c);
struct resp *h_webhook_secret_rotate(struct api_call *c);

/* JSON shapes shared by the HTTP handlers and the CLI. */
json_t *api_token_issued_json(const struct token_issued *t);
json_t *api_token_json(const struct token_row *t);
struct whlog_event;
struct webhook_delivery_row;
struct whlog_attempt;
/* A webhook event of the log (docs/api.md, "Webhook events"): its deliveries (nd) with, when
 * attempts is non-NULL, each one's attempts (natt[i] of attempts[i]); the payload when the row
 * has its body. NULL when out of memory. */
json_t *api_webhook_event_json(const struct whlog_event *ev, const struct webhook_delivery_row *d,
                               size_t nd, struct whlog_attempt *const *attempts,
                               const size_t *natt);
struct whlog_filter;
/* An event with its payload, deliveries and their attempts, as JSON (*out, a new reference);
 * RC_NOTFOUND "webhook event not found". */
enum rc api_webhook_event_load(struct store *s, const char *event_id, struct arena *a, json_t **out,
                               struct err *e);
/* Up to limit events matching f as a JSON array (deliveries without attempts, no payload);
 * *next_seq the cursor's sequence when more follow, else 0. */
enum rc api_webhook_event_page(struct store *s, const struct whlog_filter *f, int limit,
                               struct arena *a, json_t **events, int64_t *next_seq, struct err *e);
/* RC_INVALID naming the parameter when f's iguideId, type or status is not a valid value. */
enum rc api_webhook_filter_check(const struct whlog_filter *f, struct err *e);
/* 1 when id has the shape of a webhook event id (msg_...). */
int api_webhook_event_id_ok(const char *id);
/* The answer to a resend: {"id","eventId","status":"pending"}. */
json_t *api_webhook_resend_json(const char *delivery_id, const char *event_id);
/* The answer to a secret rotation: {"secret","previousValidUntil"}. */
json_t *api_webhook_secret_json(const char *secret, int64_t previous_valid_until);

#endif
