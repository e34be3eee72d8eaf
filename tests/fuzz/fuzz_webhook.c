/* fuzz_webhook.c — libFuzzer target for what the webhook engine reads from outside: the
 * Retry-After value a receiver sends (webhooks/retry.h) and address classification from text
 * (webhooks/ssrf.h), and the UTF-8 repair of a response body (jsonx_utf8_repair, json/jsonx.h). The
 * input is handed over NUL-terminated in a heap buffer of exactly its size. Checked: the delay is
 * within its bounds and delta-seconds agree with a plain reference; an address the parser accepts
 * is classified the same from its canonical text (inet_ntop round trip), and as the IPv4 it carries
 * when written ::ffff:a.b.c.d; the repaired body is valid UTF-8 without NUL, within 3n bytes. */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonx.h"
#include "webhooks/retry.h"
#include "webhooks/ssrf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when s[0..n) is well-formed UTF-8 (RFC 3629) with no NUL. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c == 0                     ? 0
                     : c < 0x80                 ? 1
                     : (c >= 0xc2 && c <= 0xdf) ? 2
                     : (c & 0xf0) == 0xe0       ? 3
                     : (c >= 0xf0 && c <= 0xf4) ? 4
                                                : 0;
        if (!len || i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
        if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] >= 0xa0) ||
            (c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] >= 0x90))
            return 0;
        i += len;
    }
    return 1;
}

static void retry_after(const char *s)
{
    int64_t d = -7, wall = 1796637600000LL;
    if (webhook_retry_after_parse(s, wall, &d) != 0) {
        if (d != -7)
            abort(); /* a refusal leaves the output alone */
        return;
    }
    if (d < 0 || d > WEBHOOK_RETRY_AFTER_MAX_MS)
        abort();
    /* Pure digits (after optional blanks) are delta-seconds: compare with a reference. */
    const char *p = s + strspn(s, " \t");
    size_t n = strspn(p, "0123456789");
    if (n && p[n + strspn(p + n, " \t\r\n")] == '\0') {
        int64_t v = 0;
        for (size_t i = 0; i < n && v <= WEBHOOK_RETRY_AFTER_MAX_MS / 1000; i++)
            v = v * 10 + (p[i] - '0');
        int64_t want =
            v > WEBHOOK_RETRY_AFTER_MAX_MS / 1000 ? WEBHOOK_RETRY_AFTER_MAX_MS : v * 1000;
        if (d != want)
            abort();
    }
}

static void address(const char *s)
{
    const char *why = ssrf_classify_text(s);
    unsigned char buf[16];
    char canon[INET6_ADDRSTRLEN + 8];
    if (inet_pton(AF_INET, s, buf) == 1) {
        if (!inet_ntop(AF_INET, buf, canon, sizeof canon))
            abort();
        const char *again = ssrf_classify_text(canon);
        if ((why == NULL) != (again == NULL))
            abort();
        char mapped[64];
        snprintf(mapped, sizeof mapped, "::ffff:%s", canon);
        const char *m = ssrf_classify_text(mapped);
        if ((why == NULL) != (m == NULL))
            abort();
    } else if (inet_pton(AF_INET6, s, buf) == 1) {
        if (!inet_ntop(AF_INET6, buf, canon, sizeof canon))
            abort();
        const char *again = ssrf_classify_text(canon);
        if ((why == NULL) != (again == NULL))
            abort();
    } else if (!why || strcmp(why, "not an IP address") != 0) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    retry_after(s);
    address(s);
    size_t cap = 3 * size + 1;
    char *out = malloc(cap);
    if (out) {
        size_t n = jsonx_utf8_repair(data, size, 1, out, cap);
        if (n >= cap || out[n] != '\0' || !valid_utf8((const unsigned char *)out, n))
            abort();
        free(out);
    }
    free(s);
    return 0;
}
