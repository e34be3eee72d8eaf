/* test_webhook_ssrf.c — the SSRF guard: every non-public IPv4 and IPv6 range (loopback,
 * unspecified, RFC 1918, CGNAT, link-local and the metadata addresses, ULA, multicast, broadcast,
 * 0/8, the IPv4-in-IPv6 spellings) refused and public addresses allowed; then through libcurl: a
 * request to a loopback name or address is refused at connect time with the reason, plain http
 * is refused without allow-private, and with allow-private the same request goes through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "webhooks/post.h"
#include "webhooks/ssrf.h"

static void t_refused_ranges(void **state)
{
    (void)state;
    const char *refused[] = {
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "100.127.255.255",
        "169.254.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.2.5",
        "198.18.0.1",
        "::1",
        "::",
        "fc00::1",
        "fd12:3456::1",
        "fd00:ec2::254",
        "fe80::1",
        "febf::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.1.2.3",
        "::ffff:169.254.169.254",
        "::ffff:0:127.0.0.1",
        "::127.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2002:c0a8:101::1",
        "2001:db8::1",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *why = ssrf_classify_text(refused[i]);
        if (!why)
            fail_msg("%s was allowed", refused[i]);
    }
    assert_string_equal(ssrf_classify_text("127.0.0.1"), "a loopback address");
    assert_string_equal(ssrf_classify_text("::1"), "a loopback address");
    assert_string_equal(ssrf_classify_text("::ffff:127.0.0.1"), "a loopback address");
    assert_string_equal(ssrf_classify_text("169.254.169.254"), "a cloud metadata address");
    assert_string_equal(ssrf_classify_text("fd00:ec2::254"), "a cloud metadata address");
    assert_string_equal(ssrf_classify_text("10.0.0.1"), "a private (RFC 1918) address");
    assert_string_equal(ssrf_classify_text("fd12::1"), "a unique local (private) address");
    assert_string_equal(ssrf_classify_text("fe80::1"), "a link-local address");
    assert_string_equal(ssrf_classify_text("not-an-ip"), "not an IP address");
    assert_string_equal(ssrf_classify_text("127.1"), "not an IP address");
}

static void t_public_allowed(void **state)
{
    (void)state;
    const char *ok[] = {"8.8.8.8",
                        "1.1.1.1",
                        "93.184.216.34",
                        "172.15.255.255",
                        "172.32.0.0",
                        "100.63.255.255",
                        "100.128.0.0",
                        "192.169.0.1",
                        "169.253.255.255",
                        "11.0.0.1",
                        "223.255.255.255",
                        "2606:4700:4700::1111",
                        "2001:4860:4860::8888",
                        "::ffff:8.8.8.8",
                        "64:ff9b::808:808",
                        "2002:808:808::1"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *why = ssrf_classify_text(ok[i]);
        if (why)
            fail_msg("%s was refused: %s", ok[i], why);
    }
}

static void t_sockaddr_forms(void **state)
{
    (void)state;
    struct sockaddr_in in = {.sin_family = AF_INET};
    inet_pton(AF_INET, "192.168.0.10", &in.sin_addr);
    assert_non_null(ssrf_classify((struct sockaddr *)&in, sizeof in));
    inet_pton(AF_INET, "8.8.4.4", &in.sin_addr);
    assert_null(ssrf_classify((struct sockaddr *)&in, sizeof in));
    /* Too short to be what it says: refused, never read past. */
    assert_non_null(ssrf_classify((struct sockaddr *)&in, 4));
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:192.168.0.10", &in6.sin6_addr);
    assert_non_null(ssrf_classify((struct sockaddr *)&in6, sizeof in6));
    struct sockaddr_storage un = {.ss_family = AF_UNIX};
    assert_non_null(ssrf_classify((struct sockaddr *)&un, sizeof un));
}

/* A loopback listener that answers each connection with a 200 (enough for a POST). */
struct listener {
    int fd, port, served;
};

static void *serve(void *arg)
{
    struct listener *l = arg;
    int c = accept(l->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char buf[8192];
    ssize_t n = read(c, buf, sizeof buf);
    (void)n;
    const char *resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    ssize_t w = write(c, resp, strlen(resp));
    (void)w;
    close(c);
    l->served++;
    return NULL;
}

static void listen_loopback(struct listener *l)
{
    l->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(l->fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(l->fd, (struct sockaddr *)&a, &len);
    l->port = ntohs(a.sin_port);
    assert_int_equal(listen(l->fd, 4), 0);
}

static void post(const char *url, int allow_private, struct webhook_response *res)
{
    struct webhook_request rq = {.url = url,
                                 .msg_id = "msg_x",
                                 .timestamp = 1,
                                 .signature = "v1,x",
                                 .body = "{}",
                                 .body_len = 2,
                                 .timeout_s = 5,
                                 .allow_private = allow_private};
    struct err e = {0};
    assert_int_equal(webhook_post(&rq, res, &e), RC_OK);
}

static void t_guard_in_curl(void **state)
{
    (void)state;
    static struct webhook_response res;
    struct listener l = {0};
    listen_loopback(&l);
    char url[128];
    /* https to a loopback address: refused before any byte is sent. */
    snprintf(url, sizeof url, "https://127.0.0.1:%d/hook", l.port);
    post(url, 0, &res);
    assert_int_equal(res.outcome.fault, WEBHOOK_REFUSED_ADDRESS);
    assert_string_equal(webhook_error_class(&res.outcome), "refused_address");
    assert_string_equal(res.error, "refused: 127.0.0.1 is a loopback address "
                                   "(serve --webhook-allow-private allows it)");
    /* A name that resolves to loopback is caught after DNS. */
    snprintf(url, sizeof url, "https://localhost:%d/hook", l.port);
    post(url, 0, &res);
    assert_int_equal(res.outcome.fault, WEBHOOK_REFUSED_ADDRESS);
    assert_non_null(strstr(res.error, "loopback"));
    /* Plain http is not even tried without the flag. */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", l.port);
    post(url, 0, &res);
    assert_int_equal(res.outcome.fault, WEBHOOK_PROTOCOL);
    assert_int_equal(l.served, 0);
    /* With the flag the same receiver is reached. */
    pthread_t th;
    pthread_create(&th, NULL, serve, &l);
    post(url, 1, &res);
    pthread_join(th, NULL);
    assert_int_equal(res.outcome.fault, WEBHOOK_RESPONSE);
    assert_int_equal(res.outcome.http_status, 200);
    assert_string_equal(res.body, "ok");
    assert_int_equal(l.served, 1);
    close(l.fd);
    webhook_post_thread_release();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_refused_ranges),
        cmocka_unit_test(t_public_allowed),
        cmocka_unit_test(t_sockaddr_forms),
        cmocka_unit_test(t_guard_in_curl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
