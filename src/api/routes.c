/* routes.c — THE route tables (the API's and the sign-in pages'): method, path, handler, authentication, accepted scopes, body.
 * Scope choices where the platform's documents are silent are recorded in docs/api.md. */
#include "api/api_int.h"

#define S(x) SCOPE_BIT(SCOPE_##x)

const struct api_route api_routes[] = {
    /* Operations */
    {{"GET", "/healthz"}, h_healthz, AUTH_NONE, 0, BODY_EMPTY},
    {{"GET", "/_test/clock"}, h_clock_get, AUTH_TESTCLOCK, 0, BODY_EMPTY},
    {{"POST", "/_test/clock"}, h_clock_set, AUTH_TESTCLOCK, 0, BODY_JSON},
    {{"POST", "/_test/faults"}, h_faults_set, AUTH_TESTFAULTS, 0, BODY_JSON},
    /* Operator controls (a Guidepost addition; docs/operations.md) */
    {{"GET", "/api/v1/operator/workOrders"}, h_op_workorder_list, AUTH_TOKEN, S(OPERATOR),
     BODY_EMPTY},
    {{"POST", "/api/v1/operator/workOrders/{workOrderId}/advance"}, h_op_workorder_advance,
     AUTH_TOKEN, S(OPERATOR), BODY_JSON},
    {{"POST", "/api/v1/operator/workOrders/{workOrderId}/reject"}, h_op_workorder_reject,
     AUTH_TOKEN, S(OPERATOR), BODY_JSON},
    {{"POST", "/api/v1/operator/workOrders/{workOrderId}/cancel"}, h_op_workorder_cancel,
     AUTH_TOKEN, S(OPERATOR), BODY_JSON},
    {{"POST", "/api/v1/operator/workOrders/{workOrderId}/retry"}, h_op_workorder_retry,
     AUTH_TOKEN, S(OPERATOR), BODY_JSON},

    /* API management (portal-api.md §2.3-2.4) */
    {{"GET", "/api/v1/scopes"}, h_scopes, AUTH_NONE, 0, BODY_EMPTY},
    {{"POST", "/api/v1/integrations/test"}, h_integrations_test, AUTH_TOKEN, 0, BODY_JSON},
    {{"POST", "/api/v1/apiTokens"}, h_token_create, AUTH_TOKEN, S(CREDENTIALS_MANAGE), BODY_JSON},
    {{"GET", "/api/v1/apiTokens"}, h_token_list, AUTH_TOKEN, S(CREDENTIALS_MANAGE), BODY_EMPTY},
    {{"GET", "/api/v1/apiTokens/{tokenId}"}, h_token_get, AUTH_TOKEN, S(CREDENTIALS_MANAGE),
     BODY_EMPTY},
    {{"PATCH", "/api/v1/apiTokens/{tokenId}"}, h_token_update, AUTH_TOKEN, S(CREDENTIALS_MANAGE),
     BODY_JSON},
    {{"DELETE", "/api/v1/apiTokens/{tokenId}"}, h_token_revoke, AUTH_TOKEN, S(CREDENTIALS_MANAGE),
     BODY_EMPTY},
    {{"POST", "/api/v1/apiTokens/{tokenId}/rotate"}, h_token_rotate, AUTH_TOKEN,
     S(CREDENTIALS_MANAGE), BODY_JSON},

    /* iGUIDEs (portal-api.md §3-4) */
    {{"POST", "/api/v1/iguides"}, h_iguide_create, AUTH_TOKEN, S(IGUIDE_RW), BODY_JSON},
    {{"GET", "/api/v1/iguides"}, h_iguide_list, AUTH_TOKEN, S(IGUIDE_LIST) | S(IGUIDE_RW),
     BODY_EMPTY},
    {{"GET", "/api/v1/iguides/{iguideId}"}, h_iguide_get, AUTH_TOKEN, S(IGUIDE_RO) | S(IGUIDE_RW),
     BODY_EMPTY},
    {{"DELETE", "/api/v1/iguides/{iguideId}"}, h_iguide_delete, AUTH_TOKEN, S(IGUIDE_RW),
     BODY_EMPTY},

    /* Work orders (portal-api.md §5) */
    {{"GET", "/api/v1/iguides/{iguideId}/workOrders"}, h_workorder_list, AUTH_TOKEN,
     S(IGUIDE_TASKS) | S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"GET", "/api/v1/iguides/{iguideId}/workOrders/{workOrderId}"}, h_workorder_get, AUTH_TOKEN,
     S(IGUIDE_TASKS) | S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"POST", "/api/v1/iguides/{iguideId}/workOrders"}, h_workorder_create, AUTH_TOKEN,
     S(IGUIDE_TASKS), BODY_JSON},
    {{"POST", "/api/v1/iguides/{iguideId}/workOrders/{workOrderId}/cancel"}, h_workorder_cancel,
     AUTH_TOKEN, S(IGUIDE_TASKS), BODY_JSON},

    /* Deliverables (the download-deliverables tutorial; portal-api.md §4.8) */
    {{"GET", "/api/v1/iguides/{iguideId}/deliverables"}, h_deliverable_list, AUTH_TOKEN,
     S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"GET", "/api/v1/iguides/{iguideId}/download/{name}"}, h_deliverable_download, AUTH_TOKEN,
     S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},

    /* Stitch Data ("Your first iGUIDE", Steps 4 and 6) */
    {{"POST", "/api/v1/iguides/{iguideId}/workOrders/{workOrderId}/stitchData"}, h_stitch_permit,
     AUTH_TOKEN, S(IGUIDE_TASKS), BODY_JSON},
    {{"POST", "/api/v1/iguides/{iguideId}/workOrders/{workOrderId}/stitchData/{stitchDataId}/process"},
     h_stitch_process, AUTH_TOKEN, S(IGUIDE_TASKS), BODY_JSON},

    /* Views (View access, expiration & deletion guide; portal-api.md §4.3, §6) */
    {{"POST", "/api/v1/iguides/{iguideId}/views"}, h_view_create, AUTH_TOKEN, S(IGUIDE_RW),
     BODY_JSON},
    {{"GET", "/api/v1/iguides/{iguideId}/views"}, h_view_list, AUTH_TOKEN,
     S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"PUT", "/api/v1/iguides/{iguideId}/views/expires"}, h_iguide_views_expires, AUTH_TOKEN,
     S(IGUIDE_RW), BODY_JSON},
    {{"GET", "/api/v1/iguides/{iguideId}/views/{viewId}"}, h_iguide_view_get, AUTH_TOKEN,
     S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"PUT", "/api/v1/iguides/{iguideId}/expires"}, h_iguide_views_expires, AUTH_TOKEN,
     S(IGUIDE_RW), BODY_JSON},
    {{"GET", "/api/v1/views/{viewId}"}, h_view_get, AUTH_TOKEN, S(IGUIDE_RO) | S(IGUIDE_RW),
     BODY_EMPTY},
    {{"PATCH", "/api/v1/views/{viewId}"}, h_view_update, AUTH_TOKEN, S(IGUIDE_RW), BODY_JSON},
    {{"DELETE", "/api/v1/views/{viewId}"}, h_view_delete, AUTH_TOKEN, S(IGUIDE_RW), BODY_EMPTY},
    {{"PUT", "/api/v1/views/{viewId}/expires"}, h_view_expires, AUTH_TOKEN, S(IGUIDE_RW),
     BODY_JSON},
    /* View access tokens and viewer groups: Guidepost additions (docs/access.md, docs/api.md) */
    {{"POST", "/api/v1/views/{viewId}/accessTokens"}, h_view_access_token, AUTH_TOKEN,
     S(IGUIDE_RW) | S(IGUIDE_EVENTS), BODY_JSON},
    {{"GET", "/api/v1/viewerGroups"}, h_group_list, AUTH_TOKEN, S(IGUIDE_RO) | S(IGUIDE_RW),
     BODY_EMPTY},
    {{"POST", "/api/v1/viewerGroups"}, h_group_create, AUTH_TOKEN, S(IGUIDE_RW), BODY_JSON},
    {{"GET", "/api/v1/viewerGroups/{groupId}"}, h_group_get, AUTH_TOKEN,
     S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"PATCH", "/api/v1/viewerGroups/{groupId}"}, h_group_update, AUTH_TOKEN, S(IGUIDE_RW),
     BODY_JSON},
    {{"DELETE", "/api/v1/viewerGroups/{groupId}"}, h_group_delete, AUTH_TOKEN, S(IGUIDE_RW),
     BODY_EMPTY},
    {{"POST", "/api/v1/viewerGroups/{groupId}/members"}, h_group_member_add, AUTH_TOKEN,
     S(IGUIDE_RW), BODY_JSON},
    {{"DELETE", "/api/v1/viewerGroups/{groupId}/members/{user}"}, h_group_member_remove,
     AUTH_TOKEN, S(IGUIDE_RW), BODY_EMPTY},

    /* Webhooks: registration, the ready object, the event log (docs/webhooks.md, docs/api.md) */
    {{"PUT", "/api/v1/iguides/{iguideId}/webhooks"}, h_iguide_webhooks_put, AUTH_TOKEN,
     S(IGUIDE_RW), BODY_JSON},
    {{"GET", "/api/v1/iguides/{iguideId}/events/ready/object"}, h_ready_object, AUTH_TOKEN,
     S(IGUIDE_EVENTS) | S(IGUIDE_RW), BODY_EMPTY},
    {{"POST", "/api/v1/iguides/{iguideId}/events/ready/dispatch"}, h_ready_dispatch, AUTH_TOKEN,
     S(IGUIDE_EVENTS) | S(IGUIDE_RW), BODY_JSON},
    {{"GET", "/api/v1/webhookEvents"}, h_webhook_event_list, AUTH_TOKEN,
     S(IGUIDE_EVENTS) | S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"GET", "/api/v1/webhookEvents/{eventId}"}, h_webhook_event_get, AUTH_TOKEN,
     S(IGUIDE_EVENTS) | S(IGUIDE_RO) | S(IGUIDE_RW), BODY_EMPTY},
    {{"POST", "/api/v1/webhookDeliveries/{deliveryId}/resend"}, h_webhook_resend, AUTH_TOKEN,
     S(IGUIDE_EVENTS) | S(IGUIDE_RW), BODY_JSON},
    {{"POST", "/api/v1/webhookSecret/rotate"}, h_webhook_secret_rotate, AUTH_TOKEN,
     S(CREDENTIALS_MANAGE), BODY_JSON},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];

/* The sign-in pages: HTML for people (docs/access.md), mounted on their own so their errors are
 * pages too. The view pages themselves (/{viewId}, /{alias}, /embed/…, media and the public data
 * API) are the viewer's route table (src/viewer/routes.c), mounted after these. */
const struct api_route page_routes[] = {
    {{"GET", "/signin"}, h_signin_form, AUTH_PAGE, 0, BODY_EMPTY},
    {{"POST", "/signin"}, h_signin, AUTH_PAGE, 0, BODY_FORM},
    {{"POST", "/signout"}, h_signout, AUTH_PAGE, 0, BODY_FORM},
};

const size_t page_nroutes = sizeof page_routes / sizeof page_routes[0];
