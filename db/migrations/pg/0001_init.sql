-- 0001_init (PostgreSQL): the same schema as sqlite/0001_init.sql in PostgreSQL types.
-- The PostgreSQL store backend lands with the scale-out issue; this file is kept in step now so
-- every schema change is written for both backends from the start.

CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    scopes          TEXT NOT NULL,
    secret_hash     BYTEA NOT NULL,
    token_hint      TEXT NOT NULL,
    prev_hash       BYTEA,
    prev_expires_at BIGINT,
    expires_at      BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    rotated_at      BIGINT,
    revoked_at      BIGINT,
    created_by      TEXT
);

CREATE TABLE iguides (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    alias          TEXT NOT NULL UNIQUE,
    type           TEXT NOT NULL,
    industry       TEXT NOT NULL,
    country        TEXT NOT NULL,
    province_state TEXT NOT NULL,
    city           TEXT NOT NULL,
    postal_code    TEXT NOT NULL,
    street_name    TEXT NOT NULL,
    street_number  TEXT NOT NULL,
    unit_number    TEXT,
    apply_defaults INTEGER NOT NULL DEFAULT 0,
    editors        TEXT NOT NULL DEFAULT '[]',
    webhooks       TEXT NOT NULL DEFAULT '[]',
    created_by     TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE views (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    iguide_id     TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    is_default    INTEGER NOT NULL,
    is_protected  INTEGER NOT NULL,
    expires_at    BIGINT NOT NULL,
    banner_id     TEXT,
    description   TEXT,
    meas_std      TEXT NOT NULL,
    viewers       TEXT NOT NULL DEFAULT '[]',
    viewer_groups TEXT NOT NULL DEFAULT '[]',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX views_iguide ON views(iguide_id, seq);
CREATE UNIQUE INDEX views_one_default ON views(iguide_id) WHERE is_default = 1;

CREATE TABLE work_orders (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    iguide_id        TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    task_type        TEXT NOT NULL,
    is_initial       INTEGER NOT NULL,
    status           TEXT NOT NULL,
    rejection_reason TEXT,
    exception_reason TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX work_orders_iguide ON work_orders(iguide_id, seq);
