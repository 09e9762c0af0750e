-- What a snapshot was asked for beyond its columns, so that its manifest alone re-runs it: which
-- records a row could see (as_known), whether values were policed as serving would have policed
-- them (apply_freshness), the status columns, the timestamp form, the body format and event-time
-- columns, the digest of the label rows and every output column's type. Every snapshot stored
-- before these columns existed saw every record by its cutoff, nullified ROTTEN values of nullify
-- views at the row's time, had no status columns and wrote timestamps as stored: they read so.
-- Their format, event-time columns, label digest and column types were not recorded: null.
ALTER TABLE snapshots
    ADD COLUMN as_known            text    NOT NULL DEFAULT 'cutoff',
    ADD COLUMN apply_freshness     boolean NOT NULL DEFAULT true,
    ADD COLUMN include_status      boolean NOT NULL DEFAULT false,
    ADD COLUMN timestamp_precision text    NOT NULL DEFAULT 'stored',
    ADD COLUMN format              text,
    ADD COLUMN include_timestamps  boolean,
    ADD COLUMN rows_sha256         text,
    ADD COLUMN output_columns      jsonb;
ALTER TABLE snapshots
    ALTER COLUMN as_known DROP DEFAULT,
    ALTER COLUMN apply_freshness DROP DEFAULT,
    ALTER COLUMN include_status DROP DEFAULT,
    ALTER COLUMN timestamp_precision DROP DEFAULT;
