package io.strata.audit.projection;

import io.strata.events.DomainEvent;
import java.time.Instant;

/** A decoded event at its place in the log: what every projection folds, in seq order. */
public record Logged(long seq, Instant time, String actor, String project, DomainEvent event) {}
