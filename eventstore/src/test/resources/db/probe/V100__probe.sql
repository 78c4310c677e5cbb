CREATE TABLE probe_log (
    event_id     UUID   NOT NULL,
    aggregate_id TEXT   NOT NULL,
    seq          BIGINT NOT NULL
);
