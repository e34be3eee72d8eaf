/* test_access.c — viewer/access.c's whole truth table over a real migrated store: public views,
 * protected views for nobody, a stranger, a viewer (by email in any case, by id), a group member,
 * an editor, the manager (operator account); access tokens by ?authtoken= and by cookie, for the
 * wrong view, expired, malformed, of a deleted view; stale, expired and disabled sessions; and
 * what deleting accounts and groups leaves behind. Also cookie parsing and argon2id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth/password.h"
#include "core/clock.h"
#include "store/people.h"
#include "viewer/access.h"
#include "auth/session.h"

#define NOW 1795608000000LL /* 2026-11-25T12:00:00Z */

#include "store_fixture.h"

struct world {
    struct iguide_row g;
    struct view_row dv;          /* default view, protected */
    struct view_row pub;         /* public view */
    struct view_row other;       /* another protected view of the same iGUIDE */
    struct user_row viewer, stranger, editor, op, member, disabled;
    struct group_row grp;
};

static struct user_row mk_user(struct fx *f, const char *email, int op)
{
    struct user_row u;
    memset(&u, 0, sizeof u);
    u.email = email;
    u.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
    u.is_operator = op;
    u.created_at = NOW;
    struct err e = {0};
    enum rc rc = store_user_insert(f->s, &u, &e);
    if (rc != RC_OK)
        fail_msg("user insert: %s", e.msg);
    return u;
}

static void add_view(struct fx *f, struct view_row *v, const char *iguide_id, int prot,
                     const char *viewers, const char *groups)
{
    memset(v, 0, sizeof *v);
    memcpy(v->iguide_id, iguide_id, strlen(iguide_id) + 1);
    v->is_protected = prot;
    v->expires_at = clock_add_years(NOW, 1);
    v->meas_std = "rms";
    v->viewers_json = viewers;
    v->viewer_groups_json = groups;
    v->created_at = v->updated_at = NOW;
    struct err e = {0};
    assert_int_equal(store_begin(f->s, 1, &e), RC_OK);
    assert_int_equal(store_view_insert(f->s, v, &e), RC_OK);
    assert_int_equal(store_commit(f->s, &e), RC_OK);
}

static void build(struct fx *f, struct world *w)
{
    memset(w, 0, sizeof *w);
    struct err e = {0};
    w->viewer = mk_user(f, "Viewer@Example.com", 0);
    w->stranger = mk_user(f, "stranger@example.com", 0);
    w->editor = mk_user(f, "editor@example.com", 0);
    w->op = mk_user(f, "op@example.com", 1);
    w->member = mk_user(f, "member@example.com", 0);
    w->disabled = mk_user(f, "gone@example.com", 0);
    w->grp.name = "Appraisers";
    w->grp.created_at = NOW;
    assert_int_equal(store_group_insert(f->s, &w->grp, &e), RC_OK);
    int added = 0;
    assert_int_equal(store_group_add(f->s, w->grp.id, w->member.id, NOW, &added, &e), RC_OK);
    assert_int_equal(added, 1);

    w->g.type = "standard";
    w->g.industry = "commercial";
    w->g.addr = (struct address){"CA", "ON", "Waterloo", "N2L 3G1", "University Ave", "200", NULL};
    w->g.editors_json = "[\"EDITOR@example.com\"]";
    w->g.webhooks_json = "[]";
    w->g.created_at = w->g.updated_at = NOW;
    w->dv.is_default = 1;
    w->dv.is_protected = 1;
    w->dv.expires_at = clock_add_years(NOW, 1);
    w->dv.meas_std = "rms";
    char *viewers = arena_printf(f->a, "[\"viewer@example.COM\", \"%s\"]", "nobody@example.com");
    w->dv.viewers_json = viewers;
    char *groups = arena_printf(f->a, "[\"%s\"]", w->grp.id);
    w->dv.viewer_groups_json = groups;
    w->dv.created_at = w->dv.updated_at = NOW;
    struct workorder_row wo;
    memset(&wo, 0, sizeof wo);
    wo.task_type = "initial";
    wo.is_initial = 1;
    wo.status = "empty";
    wo.created_at = wo.updated_at = NOW;
    if (store_iguide_create(f->s, &w->g, &w->dv, &wo, "alias", f->a, &e) != RC_OK)
        fail_msg("iguide create: %s", e.msg);
    add_view(f, &w->pub, w->g.id, 0, "[]", "[]");
    char *by_id = arena_printf(f->a, "[\"%s\"]", w->viewer.id);
    add_view(f, &w->other, w->g.id, 1, by_id, "[]");
    assert_int_equal(store_user_set_disabled(f->s, w->disabled.id, 0, NOW, &e), RC_OK);
}

/* A Cookie header holding a fresh session of u. */
static const char *signed_in(struct fx *f, const struct user_row *u, int64_t now)
{
    char secret[SECRET_TEXT_LEN + 1];
    struct session_row r;
    struct err e = {0};
    assert_int_equal(session_start(f->s, u->id, now, secret, &r, &e), RC_OK);
    return arena_printf(f->a, "theme=dark; " SESSION_COOKIE "=%s; other=1", secret);
}

static struct access_decision decide(struct fx *f, const struct view_row *v, const char *authtoken,
                                     const char *cookies, int tls, int64_t now)
{
    struct access_request rq = {.authtoken = authtoken, .cookie_header = cookies, .tls = tls};
    struct access_decision d;
    struct err e = {0};
    enum rc rc = access_decide(f->s, v, &rq, now, f->a, &d, &e);
    if (rc != RC_OK)
        fail_msg("access_decide: %s %s", rc_name(rc), e.msg);
    return d;
}

static void t_public(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    struct access_decision d = decide(f, &w.pub, NULL, NULL, 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_PUBLIC);
    assert_null(d.user_id);
    d = decide(f, &w.pub, NULL, signed_in(f, &w.stranger, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_string_equal(d.user_id, w.stranger.id);
    assert_string_equal(d.user_email, "stranger@example.com");
    assert_non_null(d.csrf_token);
    assert_int_equal(strlen(d.csrf_token), 64);
    assert_null(d.set_cookie);
}

static void t_protected_people(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    struct access_decision d = decide(f, &w.dv, NULL, NULL, 0, NOW);
    assert_int_equal(d.verdict, ACCESS_SIGN_IN);
    assert_int_equal(d.reason, ACCESS_NOBODY);
    d = decide(f, &w.dv, NULL, "", 0, NOW);
    assert_int_equal(d.verdict, ACCESS_SIGN_IN);

    d = decide(f, &w.dv, NULL, signed_in(f, &w.stranger, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_DENIED);
    assert_int_equal(d.reason, ACCESS_NOT_AUTHORIZED);
    assert_string_equal(d.user_id, w.stranger.id);

    d = decide(f, &w.dv, NULL, signed_in(f, &w.viewer, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_VIEWER);          /* by email, any case */
    d = decide(f, &w.other, NULL, signed_in(f, &w.viewer, NOW), 0, NOW);
    assert_int_equal(d.reason, ACCESS_BY_VIEWER);          /* by account id */
    d = decide(f, &w.other, NULL, signed_in(f, &w.member, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_DENIED);            /* the group is not on this view */

    d = decide(f, &w.dv, NULL, signed_in(f, &w.member, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_GROUP);

    d = decide(f, &w.other, NULL, signed_in(f, &w.editor, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_EDITOR);

    d = decide(f, &w.other, NULL, signed_in(f, &w.op, NOW), 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_MANAGER);
}

static void t_groups_and_deletion(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    struct err e = {0};
    const char *ck = signed_in(f, &w.member, NOW);
    assert_int_equal(store_group_remove(f->s, w.grp.id, w.member.id, &e), RC_OK);
    assert_int_equal(store_group_remove(f->s, w.grp.id, w.member.id, &e), RC_NOTFOUND);
    assert_int_equal(decide(f, &w.dv, NULL, ck, 0, NOW).verdict, ACCESS_DENIED);
    int added = 0;
    assert_int_equal(store_group_add(f->s, w.grp.id, w.member.id, NOW, &added, &e), RC_OK);
    assert_int_equal(decide(f, &w.dv, NULL, ck, 0, NOW).reason, ACCESS_BY_GROUP);
    assert_int_equal(store_group_add(f->s, w.grp.id, w.member.id, NOW, &added, &e), RC_OK);
    assert_int_equal(added, 0);
    assert_int_equal(store_group_add(f->s, w.grp.id, "nope", NOW, &added, &e), RC_NOTFOUND);

    /* Deleting the group: the member is denied, the view still names the group and still loads. */
    assert_int_equal(store_group_delete(f->s, w.grp.id, &e), RC_OK);
    assert_int_equal(decide(f, &w.dv, NULL, ck, 0, NOW).verdict, ACCESS_DENIED);
    struct view_row again;
    assert_int_equal(store_view_get(f->s, w.dv.id, f->a, &again, &e), RC_OK);
    assert_non_null(strstr(again.viewer_groups_json, w.grp.id));

    /* Deleting the viewer's account ends its sessions; the view keeps its list. */
    const char *vck = signed_in(f, &w.viewer, NOW);
    assert_int_equal(store_user_delete(f->s, w.viewer.id, &e), RC_OK);
    assert_int_equal(store_user_delete(f->s, w.viewer.id, &e), RC_NOTFOUND);
    assert_int_equal(decide(f, &w.dv, NULL, vck, 0, NOW).verdict, ACCESS_SIGN_IN);
    assert_int_equal(store_view_get(f->s, w.other.id, f->a, &again, &e), RC_OK);
    assert_non_null(strstr(again.viewers_json, w.viewer.id));
}

static void t_sessions(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    struct err e = {0};
    const char *ck = signed_in(f, &w.viewer, NOW);
    assert_int_equal(decide(f, &w.dv, NULL, ck, 0, NOW + SESSION_TTL_MS - 1).verdict,
                     ACCESS_ALLOW);
    assert_int_equal(decide(f, &w.dv, NULL, ck, 0, NOW + SESSION_TTL_MS).verdict, ACCESS_SIGN_IN);
    /* A forged or mangled session cookie is nobody. */
    assert_int_equal(decide(f, &w.dv, NULL, SESSION_COOKIE "=abc", 0, NOW).verdict, ACCESS_SIGN_IN);
    char forged[SECRET_TEXT_LEN + 1];
    assert_int_equal(secret_new(forged), 0);
    const char *fk = arena_printf(f->a, SESSION_COOKIE "=%s", forged);
    assert_int_equal(decide(f, &w.dv, NULL, fk, 0, NOW).verdict, ACCESS_SIGN_IN);
    /* Disabling ends the session; enabling again does not revive it. */
    const char *dk = signed_in(f, &w.disabled, NOW);
    assert_int_equal(decide(f, &w.dv, NULL, dk, 0, NOW).verdict, ACCESS_DENIED);
    assert_int_equal(store_user_set_disabled(f->s, w.disabled.id, 1, NOW, &e), RC_OK);
    assert_int_equal(decide(f, &w.dv, NULL, dk, 0, NOW).verdict, ACCESS_SIGN_IN);
    assert_int_equal(store_user_set_disabled(f->s, w.disabled.id, 0, NOW, &e), RC_OK);
    assert_int_equal(decide(f, &w.dv, NULL, dk, 0, NOW).verdict, ACCESS_SIGN_IN);
    /* Purge drops expired sessions only. */
    int64_t n = -1;
    assert_int_equal(store_session_purge(f->s, NOW + SESSION_TTL_MS, &n, &e), RC_OK);
    assert_true(n >= 1);
}

static void t_tokens(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    struct err e = {0};
    char tok[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN];
    int64_t exp = 0;
    assert_int_equal(vtoken_issue(f->s, w.dv.id, "app", NOW, tok, &exp, &e), RC_OK);
    assert_int_equal(exp, NOW + VTOKEN_TTL_MS);
    assert_int_equal(strncmp(tok, "gpat_", 5), 0);

    struct access_decision d = decide(f, &w.dv, tok, NULL, 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_TOKEN);
    char want[200];
    snprintf(want, sizeof want, "gp_at_%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax", w.dv.id,
             tok, (long long)(VTOKEN_TTL_MS / 1000));
    assert_string_equal(d.set_cookie, want);
    d = decide(f, &w.dv, tok, NULL, 1, NOW + 1000);
    assert_non_null(strstr(d.set_cookie, "; SameSite=None; Secure"));
    /* A token beats a signed-in stranger. */
    d = decide(f, &w.dv, tok, signed_in(f, &w.stranger, NOW), 0, NOW);
    assert_int_equal(d.reason, ACCESS_BY_TOKEN);

    /* The cookie opens the same view (assets), not another one. */
    const char *ck = arena_printf(f->a, "a=b; gp_at_%s=%s", w.dv.id, tok);
    d = decide(f, &w.dv, NULL, ck, 0, NOW);
    assert_int_equal(d.verdict, ACCESS_ALLOW);
    assert_int_equal(d.reason, ACCESS_BY_TOKEN_COOKIE);
    assert_null(d.set_cookie);
    assert_int_equal(decide(f, &w.other, tok, NULL, 0, NOW).verdict, ACCESS_SIGN_IN);
    const char *wrong = arena_printf(f->a, "gp_at_%s=%s", w.other.id, tok);
    assert_int_equal(decide(f, &w.other, NULL, wrong, 0, NOW).verdict, ACCESS_SIGN_IN);
    assert_int_equal(decide(f, &w.other, tok, signed_in(f, &w.stranger, NOW), 0, NOW).verdict,
                     ACCESS_DENIED);

    /* 3 weeks: open one millisecond before, closed at the instant. */
    assert_int_equal(decide(f, &w.dv, tok, NULL, 0, NOW + VTOKEN_TTL_MS - 1).verdict, ACCESS_ALLOW);
    assert_int_equal(decide(f, &w.dv, tok, NULL, 0, NOW + VTOKEN_TTL_MS).verdict, ACCESS_SIGN_IN);
    assert_int_equal(decide(f, &w.dv, NULL, ck, 0, NOW + VTOKEN_TTL_MS).verdict, ACCESS_SIGN_IN);

    /* Malformed and forged tokens are absent. */
    char forged[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN];
    memcpy(forged, tok, sizeof forged);
    forged[10] = forged[10] == 'A' ? 'B' : 'A';
    assert_int_equal(decide(f, &w.dv, forged, NULL, 0, NOW).verdict, ACCESS_SIGN_IN);
    assert_int_equal(decide(f, &w.dv, "gpat_short", NULL, 0, NOW).verdict, ACCESS_SIGN_IN);
    assert_int_equal(decide(f, &w.dv, "", NULL, 0, NOW).verdict, ACCESS_SIGN_IN);
    /* An invalid ?authtoken= does not hide a valid cookie or session. */
    assert_int_equal(decide(f, &w.dv, forged, ck, 0, NOW).reason, ACCESS_BY_TOKEN_COOKIE);
    assert_int_equal(decide(f, &w.dv, forged, signed_in(f, &w.viewer, NOW), 0, NOW).reason,
                     ACCESS_BY_VIEWER);

    /* A deleted view takes its tokens with it. */
    char tok2[sizeof VTOKEN_PREFIX + SECRET_TEXT_LEN];
    assert_int_equal(vtoken_issue(f->s, w.other.id, NULL, NOW, tok2, &exp, &e), RC_OK);
    assert_int_equal(decide(f, &w.other, tok2, NULL, 0, NOW).verdict, ACCESS_ALLOW);
    assert_int_equal(store_view_delete(f->s, w.other.id, &e), RC_OK);
    assert_int_equal(vtoken_check(f->s, tok2, w.other.id, NOW, f->a, &exp, &e), RC_NOTFOUND);
}

static void t_cookies(void **state)
{
    struct fx *f = *state;
    assert_string_equal(cookie_get("a=1; b=2", "b", f->a), "2");
    assert_string_equal(cookie_get("a=1;b=2 ", "b", f->a), "2");
    assert_string_equal(cookie_get("ab=1; b=\"q\"", "b", f->a), "q");
    assert_string_equal(cookie_get("b=first; b=second", "b", f->a), "first");
    assert_string_equal(cookie_get("b=", "b", f->a), "");
    assert_null(cookie_get("ab=1", "b", f->a));
    assert_null(cookie_get("b", "b", f->a));
    assert_null(cookie_get(NULL, "b", f->a));
    char big[400];
    memset(big, 'x', sizeof big);
    memcpy(big, "b=", 2);
    big[sizeof big - 1] = '\0';
    assert_null(cookie_get(big, "b", f->a));
    assert_string_equal(cookie_format(f->a, "n", "v", 0, "Lax", 1),
                        "n=v; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

static void t_users(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    struct user_row u = mk_user(f, "Case@Example.org", 0);
    struct user_row dup;
    memset(&dup, 0, sizeof dup);
    dup.email = "case@EXAMPLE.org";
    dup.password_hash = "x";
    dup.created_at = NOW;
    assert_int_equal(store_user_insert(f->s, &dup, &e), RC_CONFLICT);
    struct user_row got;
    assert_int_equal(store_user_by_email(f->s, "CASE@example.ORG", f->a, &got, &e), RC_OK);
    assert_string_equal(got.id, u.id);
    assert_string_equal(got.email, "Case@Example.org");
    assert_int_equal(store_user_by_email(f->s, "", f->a, &got, &e), RC_NOTFOUND);
    assert_int_equal(store_user_set_disabled(f->s, "missing", 1, NOW, &e), RC_NOTFOUND);
    struct user_row *rows;
    size_t n;
    assert_int_equal(store_user_list(f->s, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 1);
}

static void t_password(void **state)
{
    struct fx *f = *state;
    struct err e = {0};
    const char *h = NULL;
    assert_int_equal(password_hash("correct horse", f->a, &h, &e), RC_OK);
    assert_int_equal(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31), 0);
    assert_true(password_verify(h, "correct horse"));
    assert_false(password_verify(h, "correct horsE"));
    assert_false(password_verify(h, ""));
    assert_false(password_verify("$argon2id$garbage", "correct horse"));
    assert_false(password_verify(NULL, "correct horse"));
    const char *h2 = NULL;
    assert_int_equal(password_hash("correct horse", f->a, &h2, &e), RC_OK);
    assert_string_not_equal(h, h2);                         /* fresh salt */
    assert_int_equal(password_hash("short", f->a, &h2, &e), RC_INVALID);
    char gen[PASSWORD_GENERATED_LEN + 1], gen2[PASSWORD_GENERATED_LEN + 1];
    assert_int_equal(password_generate(gen), 0);
    assert_int_equal(password_generate(gen2), 0);
    assert_int_equal(strlen(gen), PASSWORD_GENERATED_LEN);
    assert_string_not_equal(gen, gen2);
}

static void t_csrf(void **state)
{
    struct fx *f = *state;
    struct world w;
    build(f, &w);
    struct err e = {0};
    char secret[SECRET_TEXT_LEN + 1];
    struct session_row r;
    assert_int_equal(session_start(f->s, w.viewer.id, NOW, secret, &r, &e), RC_OK);
    const char *t = session_csrf_token(&r, f->a);
    assert_true(session_csrf_ok(&r, t));
    char bad[65];
    memcpy(bad, t, 65);
    bad[0] = bad[0] == 'a' ? 'b' : 'a';
    assert_false(session_csrf_ok(&r, bad));
    assert_false(session_csrf_ok(&r, ""));
    assert_false(session_csrf_ok(&r, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_public, setup, teardown),
        cmocka_unit_test_setup_teardown(t_protected_people, setup, teardown),
        cmocka_unit_test_setup_teardown(t_groups_and_deletion, setup, teardown),
        cmocka_unit_test_setup_teardown(t_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(t_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(t_cookies, setup, teardown),
        cmocka_unit_test_setup_teardown(t_users, setup, teardown),
        cmocka_unit_test_setup_teardown(t_password, setup, teardown),
        cmocka_unit_test_setup_teardown(t_csrf, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
