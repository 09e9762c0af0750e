-- Training snapshot manifests: what was asked, the cutoff that makes it reproducible, and a
-- digest and leakage audit of exactly what was sent.
CREATE TABLE snapshots (
    id              uuid        PRIMARY KEY,
    created_at      timestamptz NOT NULL,
    cutoff          timestamptz NOT NULL,
    feature_service text,
    features        jsonb       NOT NULL,
    transformations jsonb       NOT NULL,
    row_count       bigint      NOT NULL,
    sha256          text        NOT NULL,
    rows_checked    bigint      NOT NULL,
    future_values   bigint      NOT NULL
);
