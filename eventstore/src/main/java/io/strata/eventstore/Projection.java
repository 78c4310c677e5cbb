package io.strata.eventstore;

import io.strata.events.EventEnvelope;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Applies one event to a read model, inside the transaction that also records the event as
 * processed. Throw {@link SQLException} for database trouble (retried) and anything else for an
 * event that cannot be applied (dead-lettered).
 */
@FunctionalInterface
public interface Projection {
  void apply(Connection connection, EventEnvelope event) throws SQLException;

  /**
   * Applies a poll's new events, in order, in the same transaction. A projection that writes one
   * statement per event can send consecutive ones as one batch (one round trip for the poll instead
   * of one per event).
   */
  default void applyAll(Connection connection, java.util.List<EventEnvelope> events)
      throws SQLException {
    for (EventEnvelope event : events) {
      apply(connection, event);
    }
  }

  /**
   * Called once the transaction that applied {@code event} has committed: the place to wake work
   * that reads what {@link #apply} wrote (before the commit, another transaction cannot see it).
   */
  default void afterCommit(EventEnvelope event) {}
}
