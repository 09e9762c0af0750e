-- The events of event views (kind: events): every row is kept, none replaces another. Two events of
-- one entity may share an instant, and even an ingested_at (one batch); seq, the row's position in
-- its batch, tells them apart and orders them for `last`. Partitioned by month of event time like
-- feature_history (event_history_YYYY_MM, made by Freshet as needed, dropped by retention).
CREATE TABLE event_history (
    view_name    text        NOT NULL,
    entity_key   text        NOT NULL,
    event_ts     timestamptz NOT NULL,
    ingested_at  timestamptz NOT NULL,
    seq          integer     NOT NULL,
    event_values jsonb       NOT NULL
) PARTITION BY RANGE (event_ts);

-- One entity's events in time order: what a window, an as-of lookup and a snapshot read. Unique, so
-- two instances stamping the same microsecond cannot both write an entity's event at one instant
-- and position: the second batch is refused whole and stamped again.
CREATE UNIQUE INDEX event_history_by_entity
    ON event_history (view_name, entity_key, event_ts, ingested_at, seq);
