/* rc.h — the one result-code enum of the program and its mapping to the platform's errors.
 * Every fallible function returns an enum rc; an optional struct err carries a message
 * meant for the API client (never secrets, never internal paths). */
#ifndef GP_RC_H
#define GP_RC_H

#include <stddef.h>

enum rc {
    RC_OK = 0,
    RC_INVALID,        /* 400 invalid_argument */
    RC_UNAUTH,         /* 401 unauthenticated */
    RC_DENIED,         /* 403 permission_denied */
    RC_NOTFOUND,       /* 404 not_found */
    RC_METHOD,         /* 405 invalid_argument, with Allow */
    RC_CONFLICT,       /* 409 already_exists */
    RC_PRECONDITION,   /* 400 failed_precondition (gRPC-gateway mapping, see docs/api.md) */
    RC_TOOLARGE,       /* 413 invalid_argument */
    RC_RATELIMIT,      /* 429 resource_exhausted */
    RC_INTERNAL,       /* 500 internal */
    RC_UNIMPLEMENTED,  /* 501 unimplemented */
    RC_BUSY,           /* 503 unavailable: store busy after retries */
    RC_NOMEM,          /* 503 unavailable: allocation failed */
    RC_IO,             /* 500 internal: disk or database I/O failed */
    RC_DONE,           /* store: no (more) rows */
    RC_ROW,            /* store: a row is ready */
    RC__COUNT
};

struct err {
    enum rc rc;
    char msg[240];
};

/* Sets e (if non-NULL) to rc with a printf-style message; returns rc. */
enum rc err_set(struct err *e, enum rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* HTTP status for rc (500 for codes that never reach a client). */
int rc_http_status(enum rc rc);

/* The platform's error code string for rc ("invalid_argument", ...). */
const char *rc_code(enum rc rc);

/* A short name for logs ("RC_INVALID"). */
const char *rc_name(enum rc rc);

#endif
