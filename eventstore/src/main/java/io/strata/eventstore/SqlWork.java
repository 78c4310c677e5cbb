package io.strata.eventstore;

import java.sql.Connection;
import java.sql.SQLException;

/** Work inside one database transaction. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
