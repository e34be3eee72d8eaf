/* test_guard.c — http/guard: the caps in all and per client address, connections over a cap
 * marked (and not counted), counts given back on close, and the reaper's deadlines shutting a
 * real socket down (a socket pair stands in for a client connection). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/guard.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

static void t_caps(void **state)
{
    (void)state;
    struct guard_limits lim = {.max_connections = 4, .max_per_ip = 2, .header_timeout_s = 60,
                               .body_min_bytes = 1};
    struct guard *g = guard_new(&lim);
    assert_non_null(g);
    struct guard_conn *a1 = guard_open(g, -1, "10.0.0.1"), *a2 = guard_open(g, -1, "10.0.0.1");
    struct guard_conn *a3 = guard_open(g, -1, "10.0.0.1");
    assert_false(guard_over(a1));
    assert_false(guard_over(a2));
    assert_true(guard_over(a3));   /* the third from one address */
    struct guard_conn *b1 = guard_open(g, -1, "10.0.0.2"), *b2 = guard_open(g, -1, "10.0.0.2");
    assert_false(guard_over(b1));
    assert_false(guard_over(b2));
    struct guard_conn *c1 = guard_open(g, -1, "10.0.0.3");
    assert_true(guard_over(c1));   /* four counted: the cap in all */
    guard_close(a3);               /* an over-cap connection gives nothing back... */
    struct guard_conn *c2 = guard_open(g, -1, "10.0.0.3");
    assert_true(guard_over(c2));
    guard_close(a1);               /* ...a counted one does */
    struct guard_conn *c3 = guard_open(g, -1, "10.0.0.3");
    assert_false(guard_over(c3));
    struct guard_conn *a4 = guard_open(g, -1, "10.0.0.1");
    assert_true(guard_over(a4));   /* the cap in all again, though 10.0.0.1 has room */
    guard_close(c1);
    guard_close(c2);
    guard_close(c3);
    guard_close(a4);
    guard_close(b1);
    guard_close(b2);
    guard_close(a2);
    assert_false(guard_over(NULL));
    guard_close(NULL);
    guard_free(g);
}

static void t_no_per_ip_cap(void **state)
{
    (void)state;
    struct guard_limits lim = {.max_connections = 3, .header_timeout_s = 60};
    struct guard *g = guard_new(&lim);
    struct guard_conn *c[4];
    for (int i = 0; i < 4; i++)
        c[i] = guard_open(g, -1, "10.0.0.1");
    assert_false(guard_over(c[2]));
    assert_true(guard_over(c[3]));
    for (int i = 0; i < 4; i++)
        guard_close(c[i]);
    guard_free(g);
}

/* 1 when the peer of fd has been shut down (reads end-of-stream) within ms. */
static int shut_within(int peer, int ms)
{
    struct pollfd p = {.fd = peer, .events = POLLIN};
    if (poll(&p, 1, ms) != 1)
        return 0;
    char b;
    return read(peer, &b, 1) == 0;
}

static void t_deadlines(void **state)
{
    (void)state;
    struct guard_limits lim = {.max_connections = 10, .max_per_ip = 10, .header_timeout_s = 1,
                               .body_min_bytes = 100};
    struct guard *g = guard_new(&lim);
    int head[2], body[2], fast[2], busy[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, head), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, body), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fast), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, busy), 0);
    struct guard_conn *h = guard_open(g, head[0], "a");      /* never sends its head */
    struct guard_conn *b = guard_open(g, body[0], "b");      /* a body below the pace */
    struct guard_conn *f = guard_open(g, fast[0], "c");      /* a body at pace */
    struct guard_conn *w = guard_open(g, busy[0], "d");      /* being answered: no deadline */
    guard_head_done(b);
    guard_head_done(f);
    guard_head_done(w);
    guard_answering(w);
    for (int i = 0; i < 12; i++) {   /* 2.4 s: two pace windows */
        guard_body(b, 10);
        guard_body(f, 100);
        usleep(200 * 1000);
    }
    assert_true(shut_within(head[1], 1000));
    assert_true(shut_within(body[1], 1000));
    assert_false(shut_within(fast[1], 100));
    assert_false(shut_within(busy[1], 100));
    assert_true(guard_reaped(g) == 2);
    guard_request_done(w);           /* now it waits for a head: the deadline applies */
    assert_true(shut_within(busy[1], 2500));
    guard_close(h);
    guard_close(b);
    guard_close(f);
    guard_close(w);
    guard_free(g);
    for (int i = 0; i < 2; i++) {
        close(head[i]);
        close(body[i]);
        close(fast[i]);
        close(busy[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_caps),
        cmocka_unit_test(t_no_per_ip_cap),
        cmocka_unit_test(t_deadlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
