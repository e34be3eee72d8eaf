/* ssrf.h — the guard against webhook URLs that reach inside the network: the address curl is
 * about to connect to (after DNS, so a name that resolves to 127.0.0.1 or that changes its answer
 * between checks is caught) is classified, and loopback, private, link-local, metadata and other
 * non-public addresses are refused unless the process allows them (--webhook-allow-private). The
 * refusal is kept so the attempt is logged as "refused_address" with its reason. */
#ifndef GP_WEBHOOK_SSRF_H
#define GP_WEBHOOK_SSRF_H

#include "core/rc.h"

#include <curl/curl.h>
#include <sys/socket.h>

/* What refused the connection, filled by the guard during a transfer. */
struct ssrf_guard {
    int allow_private;
    char refused[160]; /* "" unless an address was refused */
};

/* Why the address may not be called ("a loopback address", ...), or NULL for a public unicast
 * address. IPv4-mapped and -compatible IPv6 forms are judged as the IPv4 address they carry. */
const char *ssrf_classify(const struct sockaddr *sa, socklen_t len);

/* ssrf_classify for a textual IPv4 or IPv6 address (no brackets, no port); "not an IP address"
 * when it is neither. */
const char *ssrf_classify_text(const char *ip);

/* Sets the transfer options that keep h on the public web: the open-socket hook (refusing what
 * ssrf_classify names unless g->allow_private; g must outlive the transfer), http and https
 * (https only unless allow_private), no redirects, no proxy. Clears g->refused. */
enum rc ssrf_curl_setup(CURL *h, struct ssrf_guard *g, struct err *e);

#endif
