/* ids.h — identifiers in the platform's documented formats (portal-api.md §4.6), random and
 * unguessable: iGUIDE "ig"+13, view "v"+13, short work-order and Stitch Data ids, UUIDs. */
#ifndef GP_IDS_H
#define GP_IDS_H

#include <stddef.h>

#define ID_MAX 40

enum id_kind {
    ID_IGUIDE,     /* ig + 13 chars, 65 bits */
    ID_VIEW,       /* v + 13 chars, 65 bits */
    ID_WORKORDER,  /* 6 chars, 30 bits; unique within the store (insert retries on collision) */
    ID_STITCHDATA, /* 6 chars */
    ID_JOB,        /* 16 chars */
    ID_REQUEST,    /* 16 chars */
    ID_EVENT,      /* msg_ + 24 chars: a webhook event, its webhook-id header (no '.') */
    ID_DELIVERY    /* whd_ + 20 chars: one event's delivery to one URL */
};

/* Writes a fresh id of kind into out (ID_MAX bytes); returns 0, -1 when randomness fails. */
int id_new(enum id_kind kind, char out[ID_MAX]);

/* A random RFC 4122 version-4 UUID, lower case, into out (37 bytes); returns 0 or -1. */
int id_uuid(char out[37]);

/* 1 when s has the shape of an id of kind (prefix, length, alphabet). */
int id_valid(enum id_kind kind, const char *s);

/* 1 when s is a canonical lower-case UUID. */
int id_uuid_valid(const char *s);

#endif
