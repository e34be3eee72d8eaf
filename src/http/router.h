/* router.h — matching a method and path against a static table of patterns such as
 * "/api/v1/iguides/{iguideId}/workOrders/{workOrderId}". A pattern segment "{name}" captures one
 * non-empty path segment. Tables embed struct route_key as their first member. */
#ifndef GP_ROUTER_H
#define GP_ROUTER_H

#include "core/rc.h"

#include <stddef.h>

#define ROUTE_MAX_PARAMS 6
#define ROUTE_MAX_SEGMENTS 12

struct route_key {
    const char *method;   /* "GET", "POST", ... */
    const char *pattern;
};

struct route_match {
    size_t index;         /* matched entry */
    int nparams;
    struct {
        char name[32];
        char value[128];
    } params[ROUTE_MAX_PARAMS];
};

/* Finds the entry of table (n entries, stride bytes apart, each starting with a route_key) for
 * method and path. RC_OK fills m; RC_NOTFOUND when no pattern matches the path; RC_METHOD when
 * some pattern matches but not the method, with allow set to "GET, POST" (HEAD follows GET). */
enum rc router_match(const void *table, size_t n, size_t stride, const char *method,
                     const char *path, struct route_match *m, char *allow, size_t allow_cap);

/* The captured value of {name} in m, or NULL. */
const char *route_param(const struct route_match *m, const char *name);

#endif
