/* migrations.c — the .sql files under db/migrations are assembled into the binary with the
 * assembler's .incbin, so the SQL stays in reviewable files and no generator is needed.
 * Adding a migration: add the file for both backends and one MIGRATION line per backend; a
 * migration whose data needs C (the search terms' folding) names a step run after its SQL, in the
 * same transaction. */
#include "store/migrations.h"

#include "core/embed.h"
#include "store/store_int.h"

#include <string.h>

EMBED(mig_sqlite_0001, "db/migrations/sqlite/0001_init.sql");
EMBED(mig_pg_0001, "db/migrations/pg/0001_init.sql");
EMBED(mig_sqlite_0002, "db/migrations/sqlite/0002_uploads.sql");
EMBED(mig_pg_0002, "db/migrations/pg/0002_uploads.sql");
EMBED(mig_sqlite_0003, "db/migrations/sqlite/0003_pipeline.sql");
EMBED(mig_pg_0003, "db/migrations/pg/0003_pipeline.sql");
EMBED(mig_sqlite_0004, "db/migrations/sqlite/0004_people.sql");
EMBED(mig_pg_0004, "db/migrations/pg/0004_people.sql");
EMBED(mig_sqlite_0005, "db/migrations/sqlite/0005_upload_limits.sql");
EMBED(mig_pg_0005, "db/migrations/pg/0005_upload_limits.sql");
EMBED(mig_sqlite_0006, "db/migrations/sqlite/0006_webhooks.sql");
EMBED(mig_pg_0006, "db/migrations/pg/0006_webhooks.sql");
EMBED(mig_sqlite_0007, "db/migrations/sqlite/0007_search.sql");
EMBED(mig_pg_0007, "db/migrations/pg/0007_search.sql");

static const struct migration sqlite_migrations[] = {
    {1, "init", mig_sqlite_0001, NULL},
    {2, "uploads", mig_sqlite_0002, NULL},
    {3, "pipeline", mig_sqlite_0003, NULL},
    {4, "people", mig_sqlite_0004, NULL},
    {5, "upload_limits", mig_sqlite_0005, NULL},
    {6, "webhooks", mig_sqlite_0006, NULL},
    {7, "search", mig_sqlite_0007, store_search_backfill},
    {0, NULL, NULL, NULL},
};

static const struct migration pg_migrations[] = {
    {1, "init", mig_pg_0001, NULL},
    {2, "uploads", mig_pg_0002, NULL},
    {3, "pipeline", mig_pg_0003, NULL},
    {4, "people", mig_pg_0004, NULL},
    {5, "upload_limits", mig_pg_0005, NULL},
    {6, "webhooks", mig_pg_0006, NULL},
    {7, "search", mig_pg_0007, store_search_backfill},
    {0, NULL, NULL, NULL},
};

const struct migration *migrations_for(const char *backend)
{
    if (strcmp(backend, "sqlite") == 0)
        return sqlite_migrations;
    if (strcmp(backend, "pg") == 0)
        return pg_migrations;
    return NULL;
}
