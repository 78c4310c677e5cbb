-- The event store, the outbox and the processed-events table; every service has these three
-- tables in its own schema. Versioned by Flyway: never edit a released migration, add one.

CREATE TABLE events (
    global_position BIGSERIAL PRIMARY KEY,
    event_id        UUID        NOT NULL UNIQUE,
    aggregate_id    TEXT        NOT NULL,
    aggregate_type  TEXT        NOT NULL,
    seq             BIGINT      NOT NULL CHECK (seq > 0),
    type            TEXT        NOT NULL,
    source          TEXT        NOT NULL,
    actor           TEXT        NOT NULL,
    correlation_id  TEXT        NOT NULL,
    project         TEXT        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    data            TEXT        NOT NULL,
    -- optimistic concurrency: a second writer of the same seq loses
    CONSTRAINT events_aggregate_seq UNIQUE (aggregate_id, seq)
);

-- Rows waiting for the relay; deleted once Kafka acknowledged them. Order = id.
CREATE TABLE outbox (
    id         BIGSERIAL   PRIMARY KEY,
    event_id   UUID        NOT NULL REFERENCES events (event_id),
    topic      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Idempotent consumption: a consumer records each event id in the same transaction as its
-- projection change.
CREATE TABLE processed_events (
    consumer     TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    outcome      TEXT        NOT NULL DEFAULT 'applied',
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
