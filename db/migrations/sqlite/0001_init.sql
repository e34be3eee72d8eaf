-- 0001_init: API tokens, iGUIDEs with their views and work orders.
-- Timestamps are Unix milliseconds bound by the application (core/clock), never SQL time functions.

CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,            -- the App ID (UUID), stable across rotations
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    scopes          TEXT NOT NULL,               -- space-separated, in the documented order
    secret_hash     BLOB NOT NULL,               -- SHA-256 of the current token value
    token_hint      TEXT NOT NULL,
    prev_hash       BLOB,                        -- the value before the last rotation ...
    prev_expires_at INTEGER,                     -- ... accepted until this instant (7-day grace)
    expires_at      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    rotated_at      INTEGER,
    revoked_at      INTEGER,
    created_by      TEXT                         -- App ID that created it over HTTP; NULL from the CLI
) STRICT;

CREATE TABLE iguides (
    seq            INTEGER PRIMARY KEY,          -- creation order, for stable list cursors
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
    editors        TEXT NOT NULL DEFAULT '[]',   -- JSON array of user ids
    webhooks       TEXT NOT NULL DEFAULT '[]',   -- JSON array of {event, url}
    created_by     TEXT,                         -- App ID
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE views (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    iguide_id     TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    is_default    INTEGER NOT NULL,
    is_protected  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    banner_id     TEXT,
    description   TEXT,
    meas_std      TEXT NOT NULL,
    viewers       TEXT NOT NULL DEFAULT '[]',
    viewer_groups TEXT NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX views_iguide ON views(iguide_id, seq);
CREATE UNIQUE INDEX views_one_default ON views(iguide_id) WHERE is_default = 1;

CREATE TABLE work_orders (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    iguide_id        TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    task_type        TEXT NOT NULL,
    is_initial       INTEGER NOT NULL,
    status           TEXT NOT NULL,
    rejection_reason TEXT,
    exception_reason TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX work_orders_iguide ON work_orders(iguide_id, seq);
