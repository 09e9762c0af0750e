-- What a snapshot's fitted transformations are fitted from: per feature that a declared fitted
-- transformation reads, the statistics of exactly the values the snapshot sent. Kept as text, not
-- jsonb, so every double reads back as the same bits. `columns` is the snapshot's column list with
-- transformation versions pinned: sent as `features` with the manifest's cutoff, it reproduces the
-- snapshot byte for byte.
ALTER TABLE snapshots
    ADD COLUMN statistics text  NOT NULL DEFAULT '{}',
    ADD COLUMN columns    jsonb NOT NULL DEFAULT '[]';
