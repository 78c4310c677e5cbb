-- The newest snapshot of an aggregate's state, so that a command folds only the events after it.
CREATE TABLE snapshots (
    aggregate_id TEXT        PRIMARY KEY,
    seq          BIGINT      NOT NULL,
    state        TEXT        NOT NULL,
    taken_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
