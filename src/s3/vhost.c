/* vhost.c — virtual-hosted-style addressing: the bucket in a Host header, and the SDKs' choice
 * between path style and virtual hosts. The choice mirrors the S3 endpoint rule set the AWS SDKs
 * for JavaScript v3 and Go v2 share (isVirtualHostableS3Bucket, url.isIp), as measured with the
 * JavaScript SDK; tests/e2e/uploads_addressing.t holds this file to that SDK. */
#include "s3/vhost.h"

#include <string.h>

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static int host_byte(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.' || ch == '_';
}

/* Length of host without its ":port" (an IPv6 literal keeps its brackets). */
static size_t host_len(const char *host)
{
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        return close ? (size_t)(close - host) + 1 : strlen(host);
    }
    const char *colon = strchr(host, ':');
    return colon ? (size_t)(colon - host) : strlen(host);
}

static int same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

size_t s3_vhost_bucket(const char *host, const char *const *ends, size_t n, char *out, size_t cap)
{
    if (!host || !cap)
        return 0;
    size_t hl = host_len(host);
    size_t best = 0; /* the longest endpoint host that host ends with, after a '.' */
    for (size_t i = 0; i < n; i++) {
        size_t el = ends[i] ? strlen(ends[i]) : 0;
        if (!el)
            continue;
        if (el == hl && same_ci(host, ends[i], hl))
            return 0; /* the endpoint itself: path style */
        if (el + 1 < hl && host[hl - el - 1] == '.' && same_ci(host + hl - el, ends[i], el) &&
            el > best)
            best = el;
    }
    if (!best)
        return 0;
    size_t bl = hl - best - 1;
    if (bl + 1 > cap)
        return 0;
    for (size_t i = 0; i < bl; i++) {
        if (!host_byte((unsigned char)host[i]))
            return 0;
        out[i] = (char)lower((unsigned char)host[i]);
    }
    out[bl] = '\0';
    return bl;
}

/* An IPv4 address in dotted-quad form, or an IPv6 literal in brackets (the rule set's isIp). */
static int is_ip(const char *s, size_t n)
{
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
        return 1;
    int parts = 0;
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        unsigned v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
            v = v * 10 + (unsigned)(s[i++] - '0');
        size_t len = i - start;
        if (len == 0 || len > 3 || v > 255 || (len > 1 && s[start] == '0'))
            return 0;
        parts++;
        if (i == n)
            break;
        if (s[i] != '.' || parts == 4)
            return 0;
        i++;
        if (i == n)
            return 0;
    }
    return parts == 4;
}

/* isVirtualHostableS3Bucket(label, false): a host label (letters, digits, '-' not at either end)
 * of 3 to 63 characters, all lower case, that is not an IP address. */
static int hostable_label(const char *s, size_t n)
{
    if (n < 3 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return !is_ip(s, n);
}

/* isVirtualHostableS3Bucket(bucket, true): every dot-separated label is hostable on its own. */
static int hostable_dotted(const char *s)
{
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        if (!hostable_label(s, n))
            return 0;
        if (!dot)
            return 1;
        s = dot + 1;
    }
}

/* The unanchored /(\d+\.){3}\d+/ by which the SDKs keep what looks like an IP address out of host
 * names: four runs of digits joined by single dots anywhere in s. */
static int has_ip_pattern(const char *s)
{
    for (const char *p = s; *p; p++) {
        const char *q = p;
        int runs = 0;
        while (*q >= '0' && *q <= '9') {
            while (*q >= '0' && *q <= '9')
                q++;
            if (++runs == 4)
                return 1;
            if (*q != '.')
                break;
            q++;
        }
    }
    return 0;
}

enum s3_addressing s3_sdk_addressing(const char *bucket, int https, const char *host)
{
    int ip = is_ip(host, strlen(host));
    /* A bucket that is one host label goes in front of any host name (localhost included)... */
    if (hostable_label(bucket, strlen(bucket)))
        return ip ? S3_ADDR_PATH : S3_ADDR_VIRTUAL;
    /* ... a dotted one only over http, and then without looking at what the host is. */
    if (!https && hostable_dotted(bucket) && !has_ip_pattern(bucket))
        return ip ? S3_ADDR_BROKEN : S3_ADDR_VIRTUAL;
    return S3_ADDR_PATH;
}

int s3_url_host(const char *url, char *out, size_t cap, int *https)
{
    const char *p;
    if (strncmp(url, "http://", 7) == 0) {
        p = url + 7;
        *https = 0;
    } else if (strncmp(url, "https://", 8) == 0) {
        p = url + 8;
        *https = 1;
    } else {
        return -1;
    }
    size_t auth = strcspn(p, "/?#");
    const char *at = memchr(p, '@', auth);
    if (at) {
        auth -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    size_t hl = host_len(p);
    if (hl > auth)
        hl = auth;
    if (hl == 0 || hl + 1 > cap)
        return -1;
    for (size_t i = 0; i < hl; i++)
        out[i] = (char)lower((unsigned char)p[i]);
    out[hl] = '\0';
    return 0;
}
