-- The durable repair log of the warm tier: which Redis keys a committed batch may have left holding
-- an older value. One row per batch, written by the statement that appends the batch (so it commits
-- with it or not at all), deleted once Redis has taken the batch. A row that stays (Redis was down,
-- or the writer died between its commit and Redis) is repaired by any instance: it deletes those keys
-- from Redis, and each refills from the history on its next read. A repair never writes a value, so
-- it can never put an older one over a newer.
CREATE TABLE warm_repairs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name   text        NOT NULL,
    entity_keys text[]      NOT NULL,
    key_count   integer     NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
