-- The newest event_timestamp and ingested_at written to each view, maintained by the same
-- statement that appends a batch, so /v1/freshness never scans the history and survives restarts.
CREATE TABLE view_watermarks (
    view_name        text        PRIMARY KEY,
    last_event_ts    timestamptz NOT NULL,
    last_ingested_at timestamptz NOT NULL
);
