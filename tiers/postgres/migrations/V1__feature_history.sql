-- Cold tier: the append-only history of every record, the record of truth.
-- A correction is a new row with the same event_ts and a later ingested_at; rows are never updated.
CREATE TABLE feature_history (
    view_name      text        NOT NULL,
    entity_key     text        NOT NULL,
    event_ts       timestamptz NOT NULL,
    ingested_at    timestamptz NOT NULL,
    feature_values jsonb       NOT NULL
);

-- "Latest as of t" for one (view, entity) is one descending index probe; it also serves the
-- online "latest" read (t = infinity) and rules out two identical records.
CREATE UNIQUE INDEX feature_history_as_of
    ON feature_history (view_name, entity_key, event_ts DESC, ingested_at DESC);
