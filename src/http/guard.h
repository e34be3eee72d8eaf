/* guard.h — what one client may hold of the server: connections (in all and per address) and
 * time (a deadline for a request head, a minimum pace for a request body).
 * libmicrohttpd counts connections and closes idle ones, but a client that trickles bytes is
 * never idle and one that opens many is never told why it failed; the guard tracks every
 * connection from accept to close, marks the ones over a cap so they are answered 503, and a
 * reaper thread shuts down the ones past their deadline. */
#ifndef GP_HTTP_GUARD_H
#define GP_HTTP_GUARD_H

#include <stddef.h>
#include <stdint.h>

struct guard_limits {
    unsigned max_connections;        /* answered connections in all; more get 503 */
    unsigned max_per_ip;             /* answered connections per client address; 0: no cap */
    unsigned header_timeout_s;       /* a request head must be in this long after the wait began */
    uint64_t body_min_bytes;         /* a body must bring this many bytes per header_timeout */
};

struct guard;
struct guard_conn;   /* every guard_conn function accepts NULL (an untracked connection) */

/* A guard with its reaper thread running; NULL when out of memory or no thread can start. */
struct guard *guard_new(const struct guard_limits *lim);

/* Stops the reaper and frees g; every connection must have been closed (guard_close) first. */
void guard_free(struct guard *g);

/* How many connections the HTTP library may hold beyond the caps, so that the ones over a cap
 * can still be answered 503 instead of being dropped unanswered. */
unsigned guard_slack(unsigned cap);

/* Registers a freshly accepted connection (fd, peer address as text); the head deadline starts.
 * NULL when out of memory (the caller then closes the connection). */
struct guard_conn *guard_open(struct guard *g, int fd, const char *ip);

/* 1 when c was accepted over a cap and must be answered 503 and closed. */
int guard_over(const struct guard_conn *c);

/* The head is in: the body pace check starts (bytes so far: none). */
void guard_head_done(struct guard_conn *c);

/* n more body bytes arrived. */
void guard_body(struct guard_conn *c, uint64_t n);

/* The request is being answered: no deadline applies until guard_request_done. */
void guard_answering(struct guard_conn *c);

/* The answer went out; the connection waits for its next head (a new deadline starts). */
void guard_request_done(struct guard_conn *c);

/* The connection is closed: forgets c (and frees it). */
void guard_close(struct guard_conn *c);

/* Connections closed by a deadline so far (for tests and logs). */
uint64_t guard_reaped(const struct guard *g);

#endif
