/* migrations.h — the numbered schema migrations compiled into the binary, per backend. */
#ifndef GP_MIGRATIONS_H
#define GP_MIGRATIONS_H

#include "core/rc.h"

struct store;

struct migration {
    int version;
    const char *name;
    const char *sql;
    /* Run after sql in the same transaction, or NULL: data the SQL cannot compute. */
    enum rc (*after)(struct store *s, struct err *e);
};

/* The migrations of a backend ("sqlite", "pg") in order, ending with an entry whose sql is NULL. */
const struct migration *migrations_for(const char *backend);

#endif
