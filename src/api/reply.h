/* reply.h — building JSON responses and the platform's error bodies {"code","message"}. */
#ifndef GP_REPLY_H
#define GP_REPLY_H

#include "core/rc.h"
#include "http/http.h"

#include <jansson.h>

/* A JSON response; steals the reference to v. Falls back to a 500 body on failure. */
struct resp *reply_json(struct req *r, int status, json_t *v);

/* {"code": <rc's code>, "message": msg} with rc's HTTP status. */
struct resp *reply_error(struct req *r, enum rc rc, const char *msg);

/* reply_error from a struct err; internal failures are logged and answered without detail. */
struct resp *reply_err(struct req *r, const struct err *e);

#endif
