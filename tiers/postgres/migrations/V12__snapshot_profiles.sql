-- Every snapshot's profile of its feature columns (count, nulls, range, mean, quantile bin edges for
-- numbers, the most frequent values otherwise), shown in its manifest, so any snapshot can become a
-- drift baseline without being read again; and, apart from the manifest, each numeric column's
-- quantile sketch, so another snapshot can be put into its bins. Snapshots stored before profiles
-- existed have none.
ALTER TABLE snapshots ADD COLUMN profile jsonb;
ALTER TABLE snapshots ADD COLUMN profile_sketches jsonb;
