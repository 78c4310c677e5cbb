package io.strata.eventstore;

import java.sql.SQLException;

/** The database failed underneath the event store (not a conflict, not bad input). */
public class EventStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean transientFailure;

  public EventStoreException(String message, SQLException cause) {
    super(message, cause);
    this.transientFailure = isTransient(cause);
  }

  /**
   * True when retrying later may succeed: connection, rollback, lock timeout, resource or shutdown
   * trouble.
   */
  public boolean isTransientFailure() {
    return transientFailure;
  }

  private static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return true; // no server answer at all: a connection problem
    }
    return state.startsWith("08")
        || state.startsWith("40")
        || state.equals("55P03") // lock_not_available: a lock timeout
        || state.startsWith("53")
        || state.startsWith("57");
  }
}
