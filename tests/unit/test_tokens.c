/* test_tokens.c — auth/tokens over a real SQLite store in a temp folder: create then verify, every
 * kind of wrong credential (value, padding, app id, unknown, revoked, expired by the test clock),
 * rotation with its 7-day grace, the 2-calendar-year default, and that only a hash is stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth/tokens.h"
#include "core/base64.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/store.h"

#define DAY MS_PER_DAY
#define RW_TASKS (SCOPE_BIT(SCOPE_IGUIDE_RW) | SCOPE_BIT(SCOPE_IGUIDE_TASKS))

#include "store_fixture.h"

static struct token_issued create(struct fx *f, scope_set scopes, int days)
{
    struct token_issued t;
    struct err e = {0};
    enum rc rc = auth_token_create(f->s, "test token", "desc", scopes, days, NULL, f->a, &t, &e);
    if (rc != RC_OK)
        fail_msg("auth_token_create: %s %s", rc_name(rc), e.msg);
    return t;
}

static void verify_ok(struct fx *f, const char *id, const char *value, scope_set want)
{
    struct principal p;
    memset(&p, 0xAB, sizeof p);
    struct err e = {0};
    enum rc rc = auth_verify(f->s, id, value, f->a, &p, &e);
    if (rc != RC_OK)
        fail_msg("auth_verify(%s, %s): %s %s", id, value, rc_name(rc), e.msg);
    assert_string_equal(p.app_id, id);
    assert_int_equal(p.scopes, want);
}

static void verify_unauth(struct fx *f, const char *id, const char *value)
{
    struct principal p;
    struct err e = {0};
    enum rc rc = auth_verify(f->s, id, value, f->a, &p, &e);
    if (rc != RC_UNAUTH)
        fail_msg("auth_verify(%s, %.40s): %s, want RC_UNAUTH", id ? id : "NULL",
                 value ? value : "NULL", rc_name(rc));
    assert_int_equal(e.rc, RC_UNAUTH);
    assert_string_equal(e.msg, "Unauthorized request");
}

static struct token_row get_row(struct fx *f, const char *id)
{
    struct token_row r;
    struct err e = {0};
    if (store_token_get(f->s, id, f->a, &r, &e) != RC_OK)
        fail_msg("store_token_get: %s", e.msg);
    return r;
}

static void t_create_then_verify(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 0);
    assert_int_equal(id_uuid_valid(t.row.id), 1);
    assert_non_null(t.value);
    /* JWT-shaped: three base64url parts, the header being {"alg":"HS256","typ":"JWT"}. */
    const char *d1 = strchr(t.value, '.');
    assert_non_null(d1);
    const char *d2 = strchr(d1 + 1, '.');
    assert_non_null(d2);
    assert_null(strchr(d2 + 1, '.'));
    assert_true(strncmp(t.value, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 37) == 0);
    assert_int_equal(strspn(t.value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_."),
                     strlen(t.value));
    assert_true(strlen(d2 + 1) >= 43); /* 256 random bits */
    /* The payload names the App ID. */
    unsigned char payload[256];
    long n = b64_decode(d1 + 1, (size_t)(d2 - d1 - 1), B64_URL | B64_NOPAD, payload, sizeof payload - 1);
    assert_true(n > 0);
    payload[n] = '\0';
    assert_non_null(strstr((const char *)payload, t.row.id));
    /* The hint is the masked suffix. */
    char hint[16];
    snprintf(hint, sizeof hint, "...%s", t.value + strlen(t.value) - 5);
    assert_string_equal(t.row.hint, hint);
    assert_string_equal(t.row.scopes, "iguide.rw iguide.tasks");
    verify_ok(f, t.row.id, t.value, RW_TASKS);
    verify_ok(f, t.row.id, t.value, RW_TASKS); /* checking does not consume anything */
    struct token_row r = get_row(f, t.row.id);
    assert_string_equal(r.name, "test token");
    assert_string_equal(r.description, "desc");
    assert_string_equal(r.hint, hint);
    assert_int_equal(r.revoked_at, 0);
    assert_int_equal(r.rotated_at, 0);
    assert_int_equal(r.has_prev, 0);
    assert_null(r.created_by);
    /* Two tokens never share id or value. */
    struct token_issued t2 = create(f, SCOPE_BIT(SCOPE_IGUIDE_LIST), 0);
    assert_string_not_equal(t.row.id, t2.row.id);
    assert_string_not_equal(t.value, t2.value);
    verify_ok(f, t2.row.id, t2.value, SCOPE_BIT(SCOPE_IGUIDE_LIST));
}

static void t_wrong_values(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 0);
    const char *v = t.value;
    size_t n = strlen(v);
    char buf[TOKEN_VALUE_MAX + 8];
    /* One character changed, anywhere. */
    for (size_t i = 0; i < n; i += 7) {
        snprintf(buf, sizeof buf, "%s", v);
        buf[i] = buf[i] == 'A' ? 'B' : 'A';
        verify_unauth(f, t.row.id, buf);
    }
    /* Truncated, extended, whitespace-padded: values are used exactly as issued. */
    snprintf(buf, sizeof buf, "%.*s", (int)(n - 1), v);
    verify_unauth(f, t.row.id, buf);
    snprintf(buf, sizeof buf, "%sx", v);
    verify_unauth(f, t.row.id, buf);
    snprintf(buf, sizeof buf, " %s", v);
    verify_unauth(f, t.row.id, buf);
    snprintf(buf, sizeof buf, "%s ", v);
    verify_unauth(f, t.row.id, buf);
    snprintf(buf, sizeof buf, "%s\n", v);
    verify_unauth(f, t.row.id, buf);
    snprintf(buf, sizeof buf, "\t%s", v);
    verify_unauth(f, t.row.id, buf);
    snprintf(buf, sizeof buf, "Bearer %s", v);
    verify_unauth(f, t.row.id, buf);
    verify_unauth(f, t.row.id, "");
    verify_unauth(f, t.row.id, NULL);
    /* Over the maximum length: refused before any lookup. */
    memset(buf, 'a', TOKEN_VALUE_MAX + 1);
    buf[TOKEN_VALUE_MAX + 1] = '\0';
    verify_unauth(f, t.row.id, buf);
    /* The right value still works after all that. */
    verify_ok(f, t.row.id, v, RW_TASKS);
}

static void t_wrong_app_id(void **state)
{
    struct fx *f = *state;
    struct token_issued a = create(f, RW_TASKS, 0);
    struct token_issued b = create(f, SCOPE_BIT(SCOPE_IGUIDE_RO), 0);
    /* Another token's id with this value, and vice versa. */
    verify_unauth(f, b.row.id, a.value);
    verify_unauth(f, a.row.id, b.value);
    /* An unknown but well-formed id. */
    char unknown[37];
    assert_int_equal(id_uuid(unknown), 0);
    verify_unauth(f, unknown, a.value);
    /* Not exactly the id: upper case, padded, truncated, missing. */
    char up[40];
    snprintf(up, sizeof up, "%s", a.row.id);
    for (char *p = up; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    verify_unauth(f, up, a.value);
    snprintf(up, sizeof up, " %s", a.row.id);
    verify_unauth(f, up, a.value);
    snprintf(up, sizeof up, "%s ", a.row.id);
    verify_unauth(f, up, a.value);
    snprintf(up, sizeof up, "%.35s", a.row.id);
    verify_unauth(f, up, a.value);
    verify_unauth(f, "", a.value);
    verify_unauth(f, NULL, a.value);
    verify_unauth(f, "' OR 1=1 --", a.value);
    verify_ok(f, a.row.id, a.value, RW_TASKS);
    verify_ok(f, b.row.id, b.value, SCOPE_BIT(SCOPE_IGUIDE_RO));
}

static void t_revoked(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 0);
    struct token_issued other = create(f, RW_TASKS, 0);
    struct err e = {0};
    verify_ok(f, t.row.id, t.value, RW_TASKS);
    int64_t now = clock_now_ms();
    assert_int_equal(store_token_revoke(f->s, t.row.id, now, &e), RC_OK);
    verify_unauth(f, t.row.id, t.value);
    struct token_row r = get_row(f, t.row.id);
    assert_int_equal(r.revoked_at, now);
    /* Idempotent: the first revocation time is kept. */
    assert_int_equal(store_token_revoke(f->s, t.row.id, now + 5000, &e), RC_OK);
    assert_int_equal(get_row(f, t.row.id).revoked_at, now);
    verify_unauth(f, t.row.id, t.value);
    /* A revoked token cannot be rotated back to life. */
    struct token_issued rot;
    assert_int_equal(auth_token_rotate(f->s, t.row.id, f->a, &rot, &e), RC_NOTFOUND);
    verify_unauth(f, t.row.id, t.value);
    /* Unknown ids. */
    char unknown[37];
    id_uuid(unknown);
    assert_int_equal(store_token_revoke(f->s, unknown, now, &e), RC_NOTFOUND);
    /* Other tokens are unaffected. */
    verify_ok(f, other.row.id, other.value, RW_TASKS);
}

static void t_expiry_by_clock(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 1);
    assert_int_equal(t.row.expires_at - t.row.created_at, DAY);
    struct token_row r = get_row(f, t.row.id);
    assert_int_equal(r.expires_at, t.row.expires_at);
    /* Just before: fine. At and after expires_at: refused. */
    clock_set_ms(r.expires_at - 1500);
    verify_ok(f, t.row.id, t.value, RW_TASKS);
    clock_advance_ms(1500);
    verify_unauth(f, t.row.id, t.value);
    clock_advance_ms(30 * DAY);
    verify_unauth(f, t.row.id, t.value);
    /* Moving the clock back makes it valid again: expiry is a pure function of time. */
    clock_set_ms(r.created_at + 1000);
    verify_ok(f, t.row.id, t.value, RW_TASKS);
}

static void t_default_expiry_two_calendar_years(void **state)
{
    struct fx *f = *state;
    int64_t start, want_end;
    /* The documented example: created 2026-02-21T12:00:00Z, expires 2028-02-21T12:00:00Z. */
    assert_int_equal(clock_parse("2026-02-21T12:00:00Z", &start), 0);
    clock_set_ms(start);
    struct token_issued t = create(f, RW_TASKS, 0);
    assert_true(t.row.created_at >= start && t.row.created_at < start + 5000);
    assert_int_equal(t.row.expires_at - t.row.created_at, 730 * DAY);
    assert_int_equal(t.row.expires_at, clock_add_years(t.row.created_at, 2));
    char out[32];
    assert_memory_equal(clock_format(t.row.expires_at, 0, out), "2028-02-21T12:00:", 17);
    assert_int_equal(get_row(f, t.row.id).expires_at, t.row.expires_at);
    /* Across a leap day the length in days differs: it is the calendar that counts. */
    assert_int_equal(clock_parse("2027-03-10T08:00:00Z", &start), 0);
    clock_set_ms(start);
    t = create(f, RW_TASKS, 0);
    assert_int_equal(t.row.expires_at - t.row.created_at, 731 * DAY);
    /* From Feb 29 to Feb 28. */
    assert_int_equal(clock_parse("2024-02-29T12:00:00Z", &start), 0);
    assert_int_equal(clock_parse("2026-02-28T12:00:00Z", &want_end), 0);
    clock_set_ms(start);
    t = create(f, RW_TASKS, 0);
    assert_int_equal(t.row.expires_at - t.row.created_at, want_end - start);
    /* Valid one day before the end, refused one day after. */
    clock_set_ms(t.row.expires_at - DAY);
    verify_ok(f, t.row.id, t.value, RW_TASKS);
    clock_advance_ms(2 * DAY);
    verify_unauth(f, t.row.id, t.value);
    /* An explicit number of days is exactly that many days. */
    clock_set_ms(start);
    t = create(f, RW_TASKS, 30);
    assert_int_equal(t.row.expires_at - t.row.created_at, 30 * DAY);
}

static void t_rotate_grace(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 0);
    const char *old = t.value;
    struct token_issued r;
    struct err e = {0};
    clock_advance_ms(DAY);
    assert_int_equal(auth_token_rotate(f->s, t.row.id, f->a, &r, &e), RC_OK);
    int64_t rotated = r.row.rotated_at;
    assert_true(rotated > 0);
    assert_string_equal(r.row.id, t.row.id);          /* the App ID stays */
    assert_string_not_equal(r.value, old);
    assert_int_equal(r.row.has_prev, 1);
    assert_int_equal(r.row.prev_expires_at, rotated + TOKEN_ROTATE_GRACE_MS);
    char hint[16];
    snprintf(hint, sizeof hint, "...%s", r.value + strlen(r.value) - 5);
    assert_string_equal(r.row.hint, hint);
    /* Both work during the grace period. */
    verify_ok(f, t.row.id, r.value, RW_TASKS);
    verify_ok(f, t.row.id, old, RW_TASKS);
    clock_set_ms(rotated + TOKEN_ROTATE_GRACE_MS - 1500);
    verify_ok(f, t.row.id, old, RW_TASKS);
    verify_ok(f, t.row.id, r.value, RW_TASKS);
    /* Seven days after the rotation the old value is dead; the new one lives on. */
    clock_advance_ms(1500);
    verify_unauth(f, t.row.id, old);
    verify_ok(f, t.row.id, r.value, RW_TASKS);
    clock_advance_ms(100 * DAY);
    verify_unauth(f, t.row.id, old);
    verify_ok(f, t.row.id, r.value, RW_TASKS);
    /* Unknown id. */
    char unknown[37];
    id_uuid(unknown);
    assert_int_equal(auth_token_rotate(f->s, unknown, f->a, &r, &e), RC_NOTFOUND);
}

static void t_rotate_twice(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 0);
    struct token_issued r1, r2;
    struct err e = {0};
    assert_int_equal(auth_token_rotate(f->s, t.row.id, f->a, &r1, &e), RC_OK);
    assert_int_equal(auth_token_rotate(f->s, t.row.id, f->a, &r2, &e), RC_OK);
    /* Only the value just replaced keeps a grace period. */
    verify_unauth(f, t.row.id, t.value);
    verify_ok(f, t.row.id, r1.value, RW_TASKS);
    verify_ok(f, t.row.id, r2.value, RW_TASKS);
    /* Revocation ends the grace period too. */
    assert_int_equal(store_token_revoke(f->s, t.row.id, clock_now_ms(), &e), RC_OK);
    verify_unauth(f, t.row.id, r1.value);
    verify_unauth(f, t.row.id, r2.value);
}

static int contains(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
    if (m == 0 || m > n)
        return 0;
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return 1;
    return 0;
}

/* Appends every byte of every file in dir (the database, its WAL and shm) to *buf. */
static size_t read_all_files(const char *dir, unsigned char **buf)
{
    size_t len = 0;
    *buf = NULL;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char p[320];
        int pn = snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (pn < 0 || (size_t)pn >= sizeof p)
            continue;
        FILE *fp = fopen(p, "rb");
        if (!fp)
            continue;
        unsigned char chunk[65536];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) {
            unsigned char *nb = realloc(*buf, len + k);
            assert_non_null(nb);
            *buf = nb;
            memcpy(*buf + len, chunk, k);
            len += k;
        }
        fclose(fp);
    }
    closedir(d);
    return len;
}

static void t_only_hash_stored(void **state)
{
    struct fx *f = *state;
    struct token_issued t = create(f, RW_TASKS, 0);
    struct token_issued r;
    struct err e = {0};
    const char *first = arena_strdup(f->a, t.value);
    assert_int_equal(auth_token_rotate(f->s, t.row.id, f->a, &r, &e), RC_OK);
    const char *values[] = {first, r.value};
    unsigned char *bytes;
    size_t n = read_all_files(f->dir, &bytes);
    assert_true(n > 0);
    /* The App ID is there (we are looking at the right bytes) ... */
    assert_true(contains(bytes, n, t.row.id, strlen(t.row.id)));
    for (int i = 0; i < 2; i++) {
        const char *v = values[i];
        const char *secret = strrchr(v, '.') + 1;
        unsigned char h[SHA256_LEN];
        crypto_sha256(v, strlen(v), h);
        /* ... as are the hashes, but neither the value nor its secret part. */
        assert_true(contains(bytes, n, h, sizeof h));
        assert_false(contains(bytes, n, v, strlen(v)));
        assert_false(contains(bytes, n, secret, strlen(secret)));
        assert_false(contains(bytes, n, secret, 20));
    }
    free(bytes);

    /* The same seen through SQL, from a second connection. */
    char path[128];
    snprintf(path, sizeof path, "%s/guidepost.db", f->dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM api_tokens WHERE id = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, t.row.id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int hash_cols = 0;
    unsigned char h_new[SHA256_LEN], h_old[SHA256_LEN];
    crypto_sha256(r.value, strlen(r.value), h_new);
    crypto_sha256(first, strlen(first), h_old);
    for (int c = 0; c < sqlite3_column_count(st); c++) {
        const char *name = sqlite3_column_name(st, c);
        const void *blob = sqlite3_column_blob(st, c);
        int len = sqlite3_column_bytes(st, c);
        if (strcmp(name, "secret_hash") == 0) {
            assert_int_equal(len, SHA256_LEN);
            assert_memory_equal(blob, h_new, SHA256_LEN);
            hash_cols++;
        } else if (strcmp(name, "prev_hash") == 0) {
            assert_int_equal(len, SHA256_LEN);
            assert_memory_equal(blob, h_old, SHA256_LEN);
            hash_cols++;
        }
        for (int i = 0; i < 2 && blob; i++) {
            const char *secret = strrchr(values[i], '.') + 1;
            assert_false(contains(blob, (size_t)len, secret, strlen(secret)));
        }
    }
    assert_int_equal(hash_cols, 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void t_update_and_list(void **state)
{
    struct fx *f = *state;
    struct token_issued a = create(f, RW_TASKS, 0);
    clock_advance_ms(1000);
    struct token_issued b = create(f, SCOPE_BIT(SCOPE_IGUIDE_RO), 0);
    struct err e = {0};
    /* New scopes take effect on the next check. */
    assert_int_equal(store_token_update(f->s, a.row.id, NULL, NULL, "iguide.list credentials.manage",
                                        clock_now_ms(), &e),
                     RC_OK);
    verify_ok(f, a.row.id, a.value,
              SCOPE_BIT(SCOPE_IGUIDE_LIST) | SCOPE_BIT(SCOPE_CREDENTIALS_MANAGE));
    struct token_row r = get_row(f, a.row.id);
    assert_string_equal(r.name, "test token"); /* NULL left it alone */
    assert_string_equal(r.description, "desc");
    assert_int_equal(store_token_update(f->s, a.row.id, "renamed", "", NULL, clock_now_ms(), &e),
                     RC_OK);
    r = get_row(f, a.row.id);
    assert_string_equal(r.name, "renamed");
    assert_string_equal(r.description, "");
    assert_string_equal(r.scopes, "iguide.list credentials.manage");
    assert_true(r.updated_at >= r.created_at);
    char unknown[37];
    id_uuid(unknown);
    assert_int_equal(store_token_update(f->s, unknown, "x", NULL, NULL, clock_now_ms(), &e),
                     RC_NOTFOUND);
    /* Newest first. */
    struct token_row *rows;
    size_t n;
    assert_int_equal(store_token_list(f->s, f->a, &rows, &n, &e), RC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].id, b.row.id);
    assert_string_equal(rows[1].id, a.row.id);
    /* Inserting the same id twice is a conflict. */
    assert_int_equal(store_token_insert(f->s, &b.row, &e), RC_CONFLICT);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    log_set_level(LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_create_then_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(t_wrong_values, setup, teardown),
        cmocka_unit_test_setup_teardown(t_wrong_app_id, setup, teardown),
        cmocka_unit_test_setup_teardown(t_revoked, setup, teardown),
        cmocka_unit_test_setup_teardown(t_expiry_by_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(t_default_expiry_two_calendar_years, setup, teardown),
        cmocka_unit_test_setup_teardown(t_rotate_grace, setup, teardown),
        cmocka_unit_test_setup_teardown(t_rotate_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(t_only_hash_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(t_update_and_list, setup, teardown),
    };
    return cmocka_run_group_tests_name("tokens", tests, NULL, NULL);
}
