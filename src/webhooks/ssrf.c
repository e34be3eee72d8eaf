/* ssrf.c — see ssrf.h. */
#include "webhooks/ssrf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* a.b.c.d as a host-order integer. */
#define V4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

struct v4_range {
    uint32_t net;
    int bits;
    const char *why;
};

/* The special-purpose IPv4 blocks (RFC 6890 and successors) that are not the public Internet;
 * the more specific first, so the metadata address gets its own reason. */
static const struct v4_range v4_ranges[] = {
    {V4(169, 254, 169, 254), 32, "a cloud metadata address"},
    {V4(0, 0, 0, 0), 8, "an unspecified (\"this network\") address"},
    {V4(10, 0, 0, 0), 8, "a private (RFC 1918) address"},
    {V4(100, 64, 0, 0), 10, "a shared (CGNAT, RFC 6598) address"},
    {V4(127, 0, 0, 0), 8, "a loopback address"},
    {V4(169, 254, 0, 0), 16, "a link-local address"},
    {V4(172, 16, 0, 0), 12, "a private (RFC 1918) address"},
    {V4(192, 0, 0, 0), 24, "an IETF protocol assignment address"},
    {V4(192, 0, 2, 0), 24, "a documentation address"},
    {V4(192, 88, 99, 0), 24, "a 6to4 relay anycast address"},
    {V4(192, 168, 0, 0), 16, "a private (RFC 1918) address"},
    {V4(198, 18, 0, 0), 15, "a benchmarking address"},
    {V4(198, 51, 100, 0), 24, "a documentation address"},
    {V4(203, 0, 113, 0), 24, "a documentation address"},
    {V4(224, 0, 0, 0), 4, "a multicast address"},
    {V4(255, 255, 255, 255), 32, "the broadcast address"},
    {V4(240, 0, 0, 0), 4, "a reserved address"},
};

static const char *classify_v4(uint32_t a)
{
    for (size_t i = 0; i < sizeof v4_ranges / sizeof v4_ranges[0]; i++) {
        uint32_t mask = v4_ranges[i].bits ? ~0u << (32 - v4_ranges[i].bits) : 0;
        if ((a & mask) == v4_ranges[i].net)
            return v4_ranges[i].why;
    }
    return NULL;
}

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static const char *classify_v6(const unsigned char *b)
{
    static const unsigned char zero[16];
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char translated[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0};
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
    /* fd00:ec2::254, the EC2 instance metadata service over IPv6. */
    static const unsigned char aws_metadata[16] = {0xfd, 0x00,        0x0e,
                                                   0xc2, [14] = 0x02, [15] = 0x54};
    if (memcmp(b, zero, 16) == 0)
        return "an unspecified address";
    if (memcmp(b, zero, 15) == 0 && b[15] == 1)
        return "a loopback address";
    if (memcmp(b, aws_metadata, 16) == 0)
        return "a cloud metadata address";
    /* The IPv6 spellings of an IPv4 address: ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d
     * (NAT64) and the deprecated ::a.b.c.d are judged by the IPv4 address they carry. */
    if (memcmp(b, mapped, 12) == 0 || memcmp(b, translated, 12) == 0 || memcmp(b, nat64, 12) == 0 ||
        memcmp(b, zero, 12) == 0)
        return classify_v4(be32(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02) /* 6to4 2002:a.b.c.d::/48 */
        return classify_v4(be32(b + 2));
    if ((b[0] & 0xfe) == 0xfc)
        return "a unique local (private) address";
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return "a link-local address";
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return "a site-local address";
    if (b[0] == 0xff)
        return "a multicast address";
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return "a documentation address";
    if (b[0] == 0x01 && memcmp(b + 1, zero, 7) == 0) /* 100::/64 discard-only */
        return "a discard-only address";
    return NULL;
}

const char *ssrf_classify(const struct sockaddr *sa, socklen_t len)
{
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return classify_v4(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return classify_v6(in6->sin6_addr.s6_addr);
    }
    return "not an internet address";
}

const char *ssrf_classify_text(const char *ip)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, ip, &a4) == 1)
        return classify_v4(ntohl(a4.s_addr));
    if (inet_pton(AF_INET6, ip, &a6) == 1)
        return classify_v6(a6.s6_addr);
    return "not an IP address";
}

/* The address as text, for the refusal message. */
static void addr_text(const struct sockaddr *sa, char *out, size_t cap)
{
    const void *p = sa->sa_family == AF_INET
                        ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                        : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (!inet_ntop(sa->sa_family, p, out, (socklen_t)cap))
        snprintf(out, cap, "the address");
}

static curl_socket_t open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct ssrf_guard *g = clientp;
    if (purpose != CURLSOCKTYPE_IPCXN)
        return CURL_SOCKET_BAD;
    const char *why = ssrf_classify(&addr->addr, addr->addrlen);
    if (why && !g->allow_private) {
        char ip[INET6_ADDRSTRLEN] = "?";
        if (addr->family == AF_INET || addr->family == AF_INET6)
            addr_text(&addr->addr, ip, sizeof ip);
        snprintf(g->refused, sizeof g->refused,
                 "refused: %s is %s (serve --webhook-allow-private allows it)", ip, why);
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

enum rc ssrf_curl_setup(CURL *h, struct ssrf_guard *g, struct err *e)
{
    g->refused[0] = '\0';
    CURLcode c = CURLE_OK;
    if (!c)
        c = curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    if (!c)
        c = curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, g);
    if (!c)
        c = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, g->allow_private ? "http,https" : "https");
    if (!c)
        c = curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    if (!c)
        c = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    if (!c)
        c = curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    if (c)
        return err_set(e, RC_INTERNAL, "libcurl: %s", curl_easy_strerror(c));
    return RC_OK;
}
