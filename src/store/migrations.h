/* migrations.h — the numbered schema migrations compiled into the binary, per backend. */
#ifndef GP_MIGRATIONS_H
#define GP_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;
};

/* The migrations of a backend ("sqlite", "pg") in order, ending with an entry whose sql is NULL. */
const struct migration *migrations_for(const char *backend);

#endif
