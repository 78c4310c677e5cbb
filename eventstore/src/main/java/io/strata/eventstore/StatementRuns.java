package io.strata.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Sends a projection's statements in order, each run of consecutive statements with the same SQL as
 * one JDBC batch: a consumer's poll of in-place updates is then one round trip per kind of write
 * instead of one per event.
 */
public final class StatementRuns {
  private StatementRuns() {}

  /** One statement and its parameters. */
  public record Statement(String sql, Object... params) {}

  public static void execute(Connection c, List<Statement> statements) throws SQLException {
    int start = 0;
    while (start < statements.size()) {
      String sql = statements.get(start).sql();
      int end = start;
      while (end < statements.size() && statements.get(end).sql().equals(sql)) {
        end++;
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Statement statement : statements.subList(start, end)) {
          for (int i = 0; i < statement.params().length; i++) {
            ps.setObject(i + 1, statement.params()[i]);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      start = end;
    }
  }
}
