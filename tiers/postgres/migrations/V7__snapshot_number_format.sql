-- How a snapshot wrote its doubles ('shortest' or 'java', see NumberFormat): a re-run must ask for
-- the same to get the same bytes. Every snapshot stored before this column existed used the JVM's
-- Double.toString, so they read 'java'; new rows must say which they used.
ALTER TABLE snapshots ADD COLUMN number_format text NOT NULL DEFAULT 'java';
ALTER TABLE snapshots ALTER COLUMN number_format DROP DEFAULT;
