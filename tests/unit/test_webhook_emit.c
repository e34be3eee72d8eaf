/* test_webhook_emit.c — webhooks/emit and webhooks/ready on a real store: which entries of a
 * webhook list receive which events ("*" and "ready" only ready; Guidepost events only where
 * named; a URL listed twice once; a disabled URL never), the body serialised once with type,
 * eventId and occurredAt first, the first attempt queued, nothing recorded for a Guidepost event
 * nobody listens to; wo_move's workorder.status_changed; and the ready object's fields, its
 * token and its refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "auth/session.h"
#include "core/clock.h"
#include "pipeline/wo_status.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/webhook_events.h"
#include "webhooks/emit.h"
#include "webhooks/ready.h"
#include "webhooks/webhooks.h"

#include "store_fixture.h"

#define NOW 1764000000000LL /* 2025-11-24T16:00:00Z */

#define HOOKS                                                                                      \
    "[{\"event\":\"*\",\"url\":\"https://a.example/h\"},"                                          \
    "{\"event\":\"ready\",\"url\":\"https://a.example/h\"},"                                       \
    "{\"event\":\"ready\",\"url\":\"https://b.example/h\"},"                                       \
    "{\"event\":\"view.deleted\",\"url\":\"https://c.example/h\"},"                                \
    "{\"event\":\"workorder.status_changed\",\"url\":\"https://d.example/h\"}]"

static void make(struct fx *f, struct made *m, const char *hooks, const char *alias)
{
    fx_iguide_fill(m, NOW);
    m->g.webhooks_json = hooks;
    fx_iguide_create(f, m, alias);
}

static void t_matching_rule(void **state)
{
    (void)state;
    assert_true(webhook_entry_matches("*", "ready"));
    assert_true(webhook_entry_matches("ready", "ready"));
    assert_false(webhook_entry_matches("*", "view.deleted"));
    assert_false(webhook_entry_matches("*", "workorder.status_changed"));
    assert_false(webhook_entry_matches("ready", "view.expired"));
    assert_true(webhook_entry_matches("view.expired", "view.expired"));
    assert_false(webhook_entry_matches("view.expired", "view.deleted"));
    assert_false(webhook_entry_matches("view.deleted", "ready"));
    assert_false(webhook_entry_matches(NULL, "ready"));
}

static void deliveries(struct fx *f, const char *event_id, struct webhook_delivery_row **d,
                       size_t *n)
{
    struct err e = {0};
    assert_int_equal(store_webhook_log_deliveries(f->s, event_id, f->a, d, n, &e), RC_OK);
}

static void t_ready_goes_to_star_and_ready_once_per_url(void **state)
{
    struct fx *f = *state;
    struct made m;
    make(f, &m, HOOKS, "emit");
    struct err e = {0};
    json_t *fields = json_pack("{s:s, s:i, s:s}", "iguideId", m.g.id, "x", 1, "type", "forged");
    struct webhook_event ev = {
        .type = WH_READY, .iguide_id = m.g.id, .work_order_id = m.w.id, .fields = fields};
    struct webhook_emitted out;
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    json_decref(fields);
    assert_int_equal(strncmp(out.event_id, "msg_", 4), 0);
    assert_int_equal(strlen(out.event_id), 28);
    assert_int_equal(out.n, 2);
    assert_string_equal(out.urls[0], "https://a.example/h");
    assert_string_equal(out.urls[1], "https://b.example/h");
    struct webhook_delivery_row *d;
    size_t n;
    deliveries(f, out.event_id, &d, &n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(d[i].status, "pending");
        assert_int_equal(d[i].next_attempt_at, NOW);
        assert_int_equal(d[i].attempts, 0);
        assert_string_equal(d[i].id, out.delivery_ids[i]);
    }
    /* The stored body: type, eventId, occurredAt first; the caller cannot override them. */
    struct whlog_event row;
    assert_int_equal(store_webhook_log_event(f->s, out.event_id, f->a, &row, &e), RC_OK);
    char want[256];
    snprintf(want, sizeof want,
             "{\"type\":\"ready\",\"eventId\":\"%s\",\"occurredAt\":\"2025-11-24T16:00:00.000Z\","
             "\"iguideId\":\"%s\",\"x\":1}",
             out.event_id, m.g.id);
    assert_string_equal(row.body, want);
    assert_string_equal(row.work_order_id, m.w.id);
    assert_null(row.view_id);
    /* The first attempt of each delivery is queued on the webhooks queue, due now. */
    int64_t due = 0;
    assert_int_equal(store_job_next_due(f->s, WEBHOOK_QUEUE, &due, &e), RC_OK);
    assert_int_equal(due, NOW);
}

static void t_guidepost_events_only_where_named(void **state)
{
    struct fx *f = *state;
    struct made m;
    make(f, &m, HOOKS, "named");
    struct err e = {0};
    struct webhook_emitted out;
    json_t *fields = json_pack("{s:s, s:s}", "iguideId", m.g.id, "viewId", m.v.id);
    struct webhook_event ev = {
        .type = WH_VIEW_DELETED, .iguide_id = m.g.id, .view_id = m.v.id, .fields = fields};
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.urls[0], "https://c.example/h");
    /* Nobody names iguide.deleted or view.expired: nothing is recorded. */
    ev.type = WH_IGUIDE_DELETED;
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    assert_string_equal(out.event_id, "");
    ev.type = WH_VIEW_EXPIRED;
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    assert_string_equal(out.event_id, "");
    struct whlog_filter flt = {.iguide_id = m.g.id};
    struct whlog_event *rows;
    size_t n;
    assert_int_equal(store_webhook_log_events(f->s, &flt, 10, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].type, "view.deleted");
    /* An explicit list is used instead of the stored one (iguide.deleted reads it first). */
    ev.type = WH_IGUIDE_DELETED;
    assert_int_equal(webhook_emit(f->s, &ev,
                                  "[{\"event\":\"iguide.deleted\",\"url\":\"https://z.example\"}]",
                                  NOW, f->a, &out, &e),
                     RC_OK);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.urls[0], "https://z.example");
    /* An unknown type is refused. */
    ev.type = "created";
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_INVALID);
    json_decref(fields);
}

static void t_ready_is_recorded_without_listeners_and_skips_disabled(void **state)
{
    struct fx *f = *state;
    struct made m, m2;
    make(f, &m, "[]", "quiet");
    make(f, &m2, HOOKS, "loud");
    struct err e = {0};
    struct webhook_emitted out;
    struct webhook_event ev = {.type = WH_READY, .iguide_id = m.g.id, .work_order_id = m.w.id};
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    assert_int_not_equal(out.event_id[0], '\0');
    assert_int_equal(out.n, 0);
    /* A URL disabled by a 410 gets no delivery until the list is replaced. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO webhook_disabled VALUES ('%s', 'https://b.example/h', 'gone', 1)",
             m2.g.id);
    assert_int_equal(f->s->drv->exec(f->s->conn, sql, &e), RC_OK);
    ev.iguide_id = m2.g.id;
    ev.work_order_id = m2.w.id;
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    assert_int_equal(out.n, 1);
    assert_string_equal(out.urls[0], "https://a.example/h");
    assert_int_equal(store_webhook_disabled_clear(f->s, m2.g.id, &e), RC_OK);
    assert_int_equal(webhook_emit(f->s, &ev, NULL, NOW, f->a, &out, &e), RC_OK);
    assert_int_equal(out.n, 2);
}

static json_t *body_of_type(struct fx *f, const char *iguide_id, const char *type, size_t *n)
{
    struct err e = {0};
    struct whlog_filter flt = {.iguide_id = iguide_id, .type = type};
    struct whlog_event *rows;
    assert_int_equal(store_webhook_log_events(f->s, &flt, 50, f->a, &rows, n, &e), RC_OK);
    if (*n == 0)
        return NULL;
    struct whlog_event full;
    assert_int_equal(store_webhook_log_event(f->s, rows[0].id, f->a, &full, &e), RC_OK);
    return json_loads(full.body, 0, NULL);
}

static void t_wo_move_reports_status_changes(void **state)
{
    struct fx *f = *state;
    struct made m, q;
    make(f, &m, HOOKS, "moves");
    make(f, &q, "[]", "silent");
    struct err e = {0};
    assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_PENDING_DRAFT, NULL, NULL, NOW, &e), RC_OK);
    assert_int_equal(
        wo_move(f->s, m.w.id, "pending_draft", WO_REJECTED, "no manifest", NULL, NOW + 1, &e),
        RC_OK);
    size_t n;
    json_t *b = body_of_type(f, m.g.id, WH_WO_STATUS, &n);
    assert_int_equal(n, 2);
    assert_string_equal(json_string_value(json_object_get(b, "from")), "pending_draft");
    assert_string_equal(json_string_value(json_object_get(b, "to")), "rejected");
    assert_string_equal(json_string_value(json_object_get(b, "rejectionReason")), "no manifest");
    assert_null(json_object_get(b, "exceptionReason"));
    assert_string_equal(json_string_value(json_object_get(b, "workOrderId")), m.w.id);
    assert_string_equal(json_string_value(json_object_get(b, "iguideId")), m.g.id);
    json_decref(b);
    /* A refused move reports nothing; an iGUIDE nobody listens to records nothing. */
    assert_int_equal(wo_move(f->s, m.w.id, "empty", WO_CANCELLED, NULL, NULL, NOW, &e),
                     RC_PRECONDITION);
    assert_int_equal(wo_move(f->s, q.w.id, "empty", WO_PENDING_DRAFT, NULL, NULL, NOW, &e), RC_OK);
    b = body_of_type(f, m.g.id, WH_WO_STATUS, &n);
    assert_int_equal(n, 2);
    json_decref(b);
    b = body_of_type(f, q.g.id, NULL, &n);
    assert_int_equal(n, 0);
}

/* Moves the initial work order of m to done through the lifecycle. */
static void publish(struct fx *f, struct made *m)
{
    struct err e = {0};
    static const struct {
        const char *from;
        enum wo_status to;
    } steps[] = {{"empty", WO_PENDING_DRAFT},
                 {"pending_draft", WO_PENDING_QA},
                 {"pending_qa", WO_PENDING_PUBLISH},
                 {"pending_publish", WO_DONE}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        assert_int_equal(wo_move(f->s, m->w.id, steps[i].from, steps[i].to, NULL, NULL, NOW, &e),
                         RC_OK);
}

static const char *str_at(json_t *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *v = o;
    for (char *tok = strtok(buf, "."); tok && v; tok = strtok(NULL, "."))
        v = json_object_get(v, tok);
    return json_string_value(v);
}

static void t_ready_object(void **state)
{
    struct fx *f = *state;
    struct made m;
    fx_iguide_fill(&m, NOW);
    m.g.industry = "commercial";
    m.g.addr.unit_number = "4";
    fx_iguide_create(f, &m, "ready");
    struct err e = {0};
    json_t *o = NULL;
    /* Not done yet: failed precondition; another iGUIDE's work order: not found. */
    assert_int_equal(
        webhook_ready_object(f->s, m.g.id, m.w.id, "https://gp.example", NULL, NOW, f->a, &o, &e),
        RC_PRECONDITION);
    assert_null(o);
    assert_int_equal(
        webhook_ready_object(f->s, "igAAAAAAAAAAAAA", m.w.id, "", NULL, NOW, f->a, &o, &e),
        RC_NOTFOUND);
    publish(f, &m);
    /* The measured summary (100 m² inside) and two deliverables the media URLs name. */
    struct manifest_row mr = {.blob_name = "x", .created_at = NOW};
    snprintf(mr.work_order_id, sizeof mr.work_order_id, "%s", m.w.id);
    snprintf(mr.iguide_id, sizeof mr.iguide_id, "%s", m.g.id);
    snprintf(mr.stitch_id, sizeof mr.stitch_id, "SD0001");
    assert_int_equal(store_manifest_put(f->s, &mr, &e), RC_OK);
    assert_int_equal(store_manifest_set_summary(
                         f->s, m.w.id,
                         "{\"buildings\":[{\"id\":1,\"name\":\"Main Building\",\"intAreaTotal\":"
                         "100000000.0}]}",
                         &e),
                     RC_OK);
    const char *names[] = {"floorplan_metric_en.pdf", "floorplan_1_L_2_imperial_en.jpg",
                           "floorplan_1_L1_imperial_en.jpg", "measurements.csv"};
    for (size_t i = 0; i < 4; i++) {
        struct deliverable_row d = {.name = names[i],
                                    .work_order_id = m.w.id,
                                    .format = "x",
                                    .content_type = "x",
                                    .sha256 = "0",
                                    .blob_name = names[i],
                                    .size = 1,
                                    .created_at = NOW};
        snprintf(d.iguide_id, sizeof d.iguide_id, "%s", m.g.id);
        const char *old;
        assert_int_equal(store_deliverable_put(f->s, &d, f->a, &old, &e), RC_OK);
    }
    assert_int_equal(
        webhook_ready_object(f->s, m.g.id, m.w.id, "https://gp.example", "app", NOW, f->a, &o, &e),
        RC_OK);
    assert_string_equal(str_at(o, "iguideId"), m.g.id);
    assert_string_equal(str_at(o, "workOrderId"), m.w.id);
    assert_string_equal(str_at(o, "defaultViewId"), m.v.id);
    assert_string_equal(str_at(o, "iguideAlias"), m.g.alias);
    char url[128];
    snprintf(url, sizeof url, "https://gp.example/%s", m.v.id);
    assert_string_equal(str_at(o, "urls.publicUrl"), url);
    assert_string_equal(str_at(o, "urls.unbrandedUrl"), url);
    snprintf(url, sizeof url, "https://gp.example/embed/%s", m.v.id);
    assert_string_equal(str_at(o, "urls.embeddedUrl"), url);
    snprintf(url, sizeof url, "https://gp.example/iguides/edit/%s", m.g.id);
    assert_string_equal(str_at(o, "urls.manageUrl"), url);
    snprintf(url, sizeof url, "https://gp.example/%s/doc/floorplan_metric_en.pdf", m.v.id);
    assert_string_equal(str_at(o, "urls.mediaUrls.en.pdfMetric"), url);
    assert_null(str_at(o, "urls.mediaUrls.en.pdfImperial"));
    json_t *jpg = json_object_get(
        json_object_get(json_object_get(json_object_get(o, "urls"), "mediaUrls"), "en"),
        "jpgImperial");
    assert_int_equal(json_array_size(jpg), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(jpg, 1), "floorName")),
                        "L_2");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(jpg, 1), "id")), 2);
    assert_string_equal(str_at(o, "property.fullAddress"),
                        "4-200 University Ave, Waterloo, ON N2L 3G1, Canada");
    assert_string_equal(str_at(o, "property.unit"), "4");
    assert_true(json_is_null(json_object_get(json_object_get(o, "property"), "location")));
    json_t *bill = json_object_get(o, "billingInfo");
    assert_string_equal(json_string_value(json_object_get(bill, "iguideType")), "standard");
    assert_true(json_real_value(json_object_get(bill, "billableAreaSqMeters")) == 100.0);
    assert_true(json_real_value(json_object_get(bill, "billableAreaSqFeet")) == 1076.39);
    assert_int_equal(json_array_size(json_object_get(bill, "addons")), 0);
    assert_true(json_is_null(json_object_get(o, "banner")));
    assert_int_equal(json_array_size(json_object_get(json_object_get(o, "summary"), "buildings")),
                     1);
    /* The authtoken opens the default view for 3 weeks. */
    char tok[96];
    snprintf(tok, sizeof tok, "%s", str_at(o, "authtoken"));
    int64_t exp = 0;
    assert_int_equal(vtoken_check(f->s, tok, m.v.id, NOW, f->a, &exp, &e), RC_OK);
    assert_int_equal(exp, NOW + 21 * MS_PER_DAY);
    json_decref(o);
    /* webhook_emit_ready: the object as a ready event, with its own new token. */
    struct webhook_emitted out;
    assert_int_equal(webhook_emit_ready(f->s, m.g.id, m.w.id, "", NULL, NOW, f->a, &out, &e),
                     RC_OK);
    size_t n;
    json_t *b = body_of_type(f, m.g.id, WH_READY, &n);
    assert_int_equal(n, 1);
    assert_string_equal(str_at(b, "eventId"), out.event_id);
    assert_string_equal(str_at(b, "type"), "ready");
    assert_string_not_equal(str_at(b, "authtoken"), tok);
    snprintf(url, sizeof url, "/%s", m.v.id);
    assert_string_equal(str_at(b, "urls.publicUrl"), url);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_matching_rule),
        cmocka_unit_test_setup_teardown(t_ready_goes_to_star_and_ready_once_per_url, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(t_guidepost_events_only_where_named, setup, teardown),
        cmocka_unit_test_setup_teardown(t_ready_is_recorded_without_listeners_and_skips_disabled,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(t_wo_move_reports_status_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(t_ready_object, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
