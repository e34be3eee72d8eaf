-- 0006_webhooks: webhook events, their deliveries and every attempt (docs/webhooks.md).
-- An event is written in the transaction that makes the change it reports, with one delivery per
-- matching URL and a job for its first attempt; the body is serialised once and the same bytes
-- are sent on every attempt. Events outlive their iGUIDE (iguide.deleted is one), so no foreign
-- key points at iguides.

CREATE TABLE webhook_events (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,      -- msg_..., the webhook-id header
    type          TEXT NOT NULL,             -- ready, view.expired, view.deleted, iguide.deleted, workorder.status_changed
    iguide_id     TEXT,
    work_order_id TEXT,
    view_id       TEXT,
    body          TEXT NOT NULL,             -- the exact bytes sent
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_events_by_iguide ON webhook_events(iguide_id, seq);
CREATE INDEX webhook_events_by_time ON webhook_events(created_at, seq);

CREATE TABLE webhook_deliveries (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,    -- whd_...
    event_id        TEXT NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
    iguide_id       TEXT,                    -- the iGUIDE whose webhook list named the URL
    url             TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,   -- every attempt ever made (numbers the log)
    tries           INTEGER NOT NULL DEFAULT 0,   -- attempts since creation or the last resend (the retry policy counts these)
    next_attempt_at INTEGER,                 -- NULL once settled
    last_status     INTEGER,                 -- the last HTTP status, NULL when none came back
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries(event_id, seq);
CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries(status, next_attempt_at);

CREATE TABLE webhook_attempts (
    delivery_id     TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    n               INTEGER NOT NULL,        -- 1-based, over the delivery's whole life
    at              INTEGER NOT NULL,
    url             TEXT NOT NULL,
    http_status     INTEGER,                 -- NULL when no response came back
    error_class     TEXT,                    -- NULL on 2xx; http, timeout, connect, dns, tls, refused_address, ...
    error           TEXT,
    latency_ms      INTEGER NOT NULL,
    response_body   TEXT,                    -- the first 4 KiB, invalid UTF-8 replaced
    next_attempt_at INTEGER,                 -- when the next attempt is due, NULL when none
    PRIMARY KEY (delivery_id, n)
) STRICT;
CREATE INDEX webhook_attempts_by_time ON webhook_attempts(at);

-- A URL that answered 410 Gone under the Standard Webhooks schedule: no more deliveries to it
-- for that iGUIDE until its webhook list is replaced.
CREATE TABLE webhook_disabled (
    iguide_id   TEXT NOT NULL,
    url         TEXT NOT NULL,
    reason      TEXT NOT NULL,
    disabled_at INTEGER NOT NULL,
    PRIMARY KEY (iguide_id, url)
) STRICT;

-- The signing secrets: the current one (retired_at NULL) and those retired, which still sign
-- until retired_at + 24 h.
CREATE TABLE webhook_secrets (
    seq        INTEGER PRIMARY KEY,
    secret     TEXT NOT NULL,                -- whsec_ + base64 of 32 random bytes
    created_at INTEGER NOT NULL,
    retired_at INTEGER
) STRICT;

-- At most one current secret: two processes creating it on first use agree on one (the
-- loser's INSERT ... ON CONFLICT DO NOTHING inserts nothing).
CREATE UNIQUE INDEX webhook_secrets_one_current ON webhook_secrets ((retired_at IS NULL))
    WHERE retired_at IS NULL;

-- The claim takes the first queued job in (priority DESC, run_at, id) order; the index of 0002
-- left priority out, so every claim sorted all due jobs of its queue (the webhook queue holds
-- thousands at a time). In this order the first due row is found without a sort.
DROP INDEX jobs_ready;
CREATE INDEX jobs_ready ON jobs(queue, priority DESC, run_at, id) WHERE state = 'queued';

-- view.expired is emitted once per view: the janitor sets this in the event's transaction.
ALTER TABLE views ADD COLUMN expired_event_at INTEGER;
CREATE INDEX views_expiry_unreported ON views(expires_at) WHERE expired_event_at IS NULL;

-- The test clock as the serving node set it (--test-clock), so that worker processes started
-- with --test-clock follow it. One row.
CREATE TABLE test_clock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    offset_ms    INTEGER NOT NULL,
    frozen       INTEGER NOT NULL,
    frozen_at_ms INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

-- The outbox of earlier versions held ready events that nothing sent: they become events with no
-- deliveries (their iGUIDEs can ask for a new one with events/ready/dispatch).
INSERT INTO webhook_events (id, type, iguide_id, work_order_id, body, created_at)
    SELECT 'msg_' || id, event, iguide_id, work_order_id, payload, created_at FROM outbox ORDER BY created_at;
DROP TABLE outbox;
