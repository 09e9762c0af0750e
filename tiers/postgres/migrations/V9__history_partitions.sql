-- The history, partitioned natively by event time: one partition per calendar month (UTC), named
-- feature_history_YYYY_MM. Point-in-time reads touch only the months they need, and retention drops
-- whole months. Freshet creates the partitions it needs itself (months ahead at start, and the month
-- of any event that has none before writing it), so nothing here has to know the future.
--
-- An existing table is moved as it is, every row: its months get their partitions, the rows are
-- copied, and the as-of index is built once over the copy (cheaper than keeping it up row by row).
-- All of it runs in the migration's one transaction, so a failure leaves the old table untouched.
SET LOCAL TimeZone = 'UTC';

ALTER TABLE feature_history RENAME TO feature_history_unpartitioned;
ALTER INDEX feature_history_as_of RENAME TO feature_history_unpartitioned_as_of;

CREATE TABLE feature_history (
    view_name      text        NOT NULL,
    entity_key     text        NOT NULL,
    event_ts       timestamptz NOT NULL,
    ingested_at    timestamptz NOT NULL,
    feature_values jsonb       NOT NULL
) PARTITION BY RANGE (event_ts);

DO $$
DECLARE
    month timestamptz;
BEGIN
    FOR month IN
        SELECT DISTINCT date_trunc('month', event_ts) FROM feature_history_unpartitioned
    LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF feature_history FOR VALUES FROM (%L) TO (%L)',
            'feature_history_' || to_char(month, 'YYYY_MM'),
            month,
            month + interval '1 month');
    END LOOP;
END
$$;

INSERT INTO feature_history
    SELECT view_name, entity_key, event_ts, ingested_at, feature_values
    FROM feature_history_unpartitioned;

CREATE UNIQUE INDEX feature_history_as_of
    ON feature_history (view_name, entity_key, event_ts DESC, ingested_at DESC);

DROP TABLE feature_history_unpartitioned;
