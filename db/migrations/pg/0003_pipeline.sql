-- 0003_pipeline (PostgreSQL): what processing produces. Deliverables are files in the blob store, listed per
-- iGUIDE; the outbox holds events (the `ready` event) written in the same transaction as the state
-- change they announce, for the webhook deliverer to send.

-- The pipeline stage a work order is in or last failed in (ingest, draft, qa, publish, addon):
-- what an operator's retry restarts.
ALTER TABLE work_orders ADD COLUMN stage TEXT;

CREATE TABLE deliverables (
    iguide_id     TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,              -- e.g. floorplan_metric_en.pdf
    work_order_id TEXT NOT NULL,
    format        TEXT NOT NULL,              -- pdf, svg, png, jpg, dxf, json, csv
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,              -- hex
    blob_name     TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (iguide_id, name)
);

CREATE TABLE manifests (
    work_order_id TEXT PRIMARY KEY REFERENCES work_orders(id) ON DELETE CASCADE,
    iguide_id     TEXT NOT NULL REFERENCES iguides(id) ON DELETE CASCADE,
    stitch_id     TEXT NOT NULL,
    blob_name     TEXT NOT NULL,              -- the validated manifest.json
    summary       TEXT,                       -- the measured summary (JSON), once drafted
    created_at    BIGINT NOT NULL
);

CREATE TABLE outbox (
    id            TEXT PRIMARY KEY,
    event         TEXT NOT NULL,              -- ready
    iguide_id     TEXT NOT NULL,
    work_order_id TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    delivered_at  BIGINT,
    UNIQUE (event, work_order_id)             -- one ready event per work order publish
);
