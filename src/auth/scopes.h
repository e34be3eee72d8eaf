/* scopes.h — the platform's 11 scopes, in the documented order (API-management guide;
 * portal-api.md §2.3), as a bit set. */
#ifndef GP_SCOPES_H
#define GP_SCOPES_H

#include <stddef.h>
#include <stdint.h>

enum scope {
    SCOPE_IGUIDE_LIST,
    SCOPE_IGUIDE_RO,
    SCOPE_IGUIDE_RW,
    SCOPE_IGUIDE_TASKS,
    SCOPE_IGUIDE_BILLING,
    SCOPE_IGUIDE_GALLERY,
    SCOPE_IGUIDE_EVENTS,
    SCOPE_IGUIDE_DRAFT_RO,
    SCOPE_VIEWER_DATA,
    SCOPE_BANNER_LIST,
    SCOPE_CREDENTIALS_MANAGE,
    SCOPE__COUNT,              /* the documented scopes end here: GET /api/v1/scopes lists these */
    SCOPE_OPERATOR = SCOPE__COUNT, /* Guidepost's operator controls (docs/operations.md), unlisted */
    SCOPE__ALL
};

typedef uint32_t scope_set;

#define SCOPE_BIT(s) ((scope_set)1 << (s))

/* The wire name of a scope ("iguide.rw"). */
const char *scope_name(enum scope s);

/* Parses a list of scope names separated by commas and/or spaces. Returns 0, or -1 with the
 * offending name copied to bad (cap bytes). An empty list is an error too. */
int scope_parse_list(const char *list, scope_set *out, char *bad, size_t cap);

/* Writes the set as space-separated names in the documented order; returns the length. */
size_t scope_format(scope_set set, char *out, size_t cap);

/* 1 when a token holding `holder` may grant `target`, or rotate, change or revoke a token holding
 * `target`: every scope of target is in holder (docs/api.md, Decision 5); 0 otherwise. */
int scope_covers(scope_set holder, scope_set target);

#endif
