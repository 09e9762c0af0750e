-- The training snapshot each monitored feature service's served values are compared with: one per
-- service, shared by every instance, replaced by the next PUT. Provenance: which snapshot, its size
-- and digest, its cutoff, and when it became the baseline.
CREATE TABLE monitoring_baselines (
    service         text        PRIMARY KEY,
    snapshot_id     uuid        NOT NULL,
    row_count       bigint      NOT NULL,
    snapshot_sha256 text        NOT NULL,
    snapshot_cutoff timestamptz NOT NULL,
    created_at      timestamptz NOT NULL
);
