package io.strata.audit.projection;

import io.strata.events.DomainEvent;
import io.strata.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Empties the projections and folds the whole log into them again, in seq order — the same input,
 * in the same order, through the same functions as ingest. The log holds every record of every
 * topic from offset 0 with its data as published, so replaying it is replaying the topics, without
 * depending on the brokers' retention. Holds the chain head's lock throughout: ingest waits, and
 * nothing is appended that the rebuild would miss.
 */
public final class ProjectionRebuild {
  private static final int BATCH = 2000;

  private ProjectionRebuild() {}

  public record Result(long events, long projected) {}

  public static Result run(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE")) {
      ps.executeQuery().close();
    }
    try (Statement s = c.createStatement()) {
      s.executeUpdate("TRUNCATE " + String.join(", ", Projections.TABLES));
    }
    long events = 0;
    long projected = 0;
    List<Logged> batch = new ArrayList<>(BATCH);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, occurred_at, actor, project, type, data::text FROM audit_log"
                + " WHERE flag = '' ORDER BY seq")) {
      ps.setFetchSize(BATCH);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          events++;
          DomainEvent e =
              EventJson.fromBytes(
                  rs.getString(5), rs.getString(6).getBytes(StandardCharsets.UTF_8));
          batch.add(
              new Logged(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  e));
          if (batch.size() == BATCH) {
            Projections.apply(c, batch);
            projected += batch.size();
            batch.clear();
          }
        }
      }
    }
    Projections.apply(c, batch);
    projected += batch.size();
    return new Result(events, projected);
  }
}
