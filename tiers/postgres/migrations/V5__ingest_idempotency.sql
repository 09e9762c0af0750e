-- Idempotent ingest: the first answer to each Idempotency-Key, written in the same transaction as
-- the batch, so a retry (even one racing the original) is answered from here and writes nothing.
CREATE TABLE ingest_idempotency (
    idempotency_key text        PRIMARY KEY,
    view_name       text        NOT NULL,
    request_sha256  text        NOT NULL,
    accepted        integer     NOT NULL,
    ingested_at     timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ingest_idempotency_created_at ON ingest_idempotency (created_at);
