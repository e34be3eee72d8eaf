-- 0002_uploads: Stitch Data permits with their temporary S3 credentials, the objects and multipart
-- uploads of the built-in S3 endpoint, the server's own keys, and the durable job table.

CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE stitch_data (
    id                TEXT PRIMARY KEY,
    iguide_id         TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    work_order_id     TEXT NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
    filename          TEXT NOT NULL,
    filesize          INTEGER NOT NULL,
    bucket            TEXT NOT NULL,
    object_key        TEXT NOT NULL,
    access_key_id     TEXT NOT NULL UNIQUE,   -- the temporary credentials' key id
    session_hash      BLOB NOT NULL,          -- SHA-256 of the session token
    upload_token_hash BLOB NOT NULL,          -- SHA-256 of the upload token
    expires_at        INTEGER NOT NULL,       -- credentials valid until
    created_at        INTEGER NOT NULL,
    job_id            TEXT,                   -- set once /process enqueued it
    enqueued_at       INTEGER
) STRICT;
CREATE INDEX stitch_data_wo ON stitch_data(work_order_id);

CREATE TABLE objects (
    bucket       TEXT NOT NULL,
    object_key   TEXT NOT NULL,
    size         INTEGER NOT NULL,
    etag         TEXT NOT NULL,               -- with its quotes, as S3 returns it
    checksum_alg TEXT,
    checksum     TEXT,
    content_type TEXT,
    blob_name    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (bucket, object_key)
) STRICT;

CREATE TABLE multipart_uploads (
    upload_id       TEXT PRIMARY KEY,
    bucket          TEXT NOT NULL,
    object_key      TEXT NOT NULL,
    access_key_id   TEXT NOT NULL,
    checksum_alg    TEXT,
    content_type    TEXT,
    state           TEXT NOT NULL CHECK (state IN ('open', 'completed')),
    completed_etag  TEXT,                     -- for an idempotent retry of Complete
    completed_parts TEXT,
    expires_at      INTEGER NOT NULL,         -- the credentials' expiry: abandoned after this
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX multipart_expiry ON multipart_uploads(expires_at) WHERE state = 'open';

CREATE TABLE multipart_parts (
    upload_id   TEXT NOT NULL REFERENCES multipart_uploads(upload_id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    etag        TEXT NOT NULL,
    checksum    TEXT,
    blob_name   TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
) STRICT;

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    queue        TEXT NOT NULL,
    type         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    priority     INTEGER NOT NULL DEFAULT 0,
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    locked_by    TEXT,
    locked_until INTEGER,
    last_error   TEXT,
    idem_key     TEXT UNIQUE,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_ready ON jobs(queue, run_at, id) WHERE state = 'queued';
