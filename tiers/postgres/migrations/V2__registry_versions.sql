-- Registry versions: 1 when a name is first registered, +1 whenever its definition changes.
-- Kept here so versions survive restarts and are shared by every instance.
CREATE TABLE registry_versions (
    kind          text        NOT NULL,
    name          text        NOT NULL,
    version       integer     NOT NULL,
    definition    text        NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name, version)
);
