-- Whether a snapshot's label rows looked back further than a view's history retention when it ran:
-- its values for those rows may come from history that is already dropped, so a re-run can differ.
-- Every snapshot stored before retention existed looked back into a complete history.
ALTER TABLE snapshots ADD COLUMN retention_truncated boolean NOT NULL DEFAULT false;
ALTER TABLE snapshots ALTER COLUMN retention_truncated DROP DEFAULT;
