package io.strata.audit.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.audit.log.AuditHash;
import io.strata.events.EventJson;
import io.strata.events.cluster.ClusterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads of the cluster projections: the current row, the timeline, and state at an instant. */
public final class ClusterViews {
  private ClusterViews() {}

  public record Cluster(
      String clusterId,
      String name,
      String project,
      String phase,
      long generation,
      boolean deregistered,
      ClusterHistory.State state) {}

  public record Step(
      long seq,
      Instant time,
      String kind,
      long generation,
      String actor,
      String reason,
      String phase,
      long observedGeneration,
      long lastConvergedGeneration,
      JsonNode detail) {}

  public record Generation(
      long generation, long seq, Instant time, String actor, String reason, ClusterSpec spec) {}

  /** The phase a cluster was in at an instant, and since which step. */
  public record Status(
      String phase,
      long observedGeneration,
      long lastConvergedGeneration,
      Instant since,
      long seq,
      String lastStep) {}

  /** What the API answers for {@code state?at=}. */
  public record StateAt(
      String clusterId,
      String name,
      Instant at,
      boolean deregistered,
      Generation spec,
      Status status) {}

  public static Optional<Cluster> cluster(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT cluster_id, name, project, phase, generation, deregistered, state::text"
                + " FROM audit_clusters WHERE cluster_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(cluster(rs)) : Optional.empty();
      }
    }
  }

  static Cluster cluster(ResultSet rs) throws SQLException {
    return new Cluster(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getBoolean(6),
        EventJson.read(rs.getString(7), ClusterHistory.State.class));
  }

  /** Clusters of the given projects (all when {@code allProjects}), by name. */
  public static List<Cluster> clusters(Connection c, java.util.Set<String> projects, boolean all)
      throws SQLException {
    String sql =
        "SELECT cluster_id, name, project, phase, generation, deregistered, state::text"
            + " FROM audit_clusters"
            + (all ? "" : " WHERE project = ANY (?)")
            + " ORDER BY name, cluster_id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (!all) {
        ps.setArray(1, c.createArrayOf("text", projects.toArray()));
      }
      List<Cluster> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(cluster(rs));
        }
      }
      return out;
    }
  }

  /** A place in a timeline: steps are ordered by when they happened, then by log order. */
  public record Position(Instant time, long seq) {
    public static final Position START = new Position(Instant.EPOCH, 0);

    public String key() {
      return time.getEpochSecond() + "." + time.getNano() + "." + seq;
    }

    /** The inverse of {@link #key}; empty for anything else. */
    public static Optional<Position> parse(String key) {
      String[] p = key.split("\\.");
      try {
        return p.length == 3
            ? Optional.of(
                new Position(
                    Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])),
                    Long.parseLong(p[2])))
            : Optional.empty();
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Steps in the order they happened. The log's order can differ across topics (a reconcile outcome
   * may be logged before the spec change it follows); an auditor reads the source's times.
   */
  public static List<Step> timeline(Connection c, String id, Position after, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, occurred_at, kind, generation, actor, reason, phase, observed_generation,"
                + " last_converged_generation, detail::text FROM audit_cluster_timeline"
                + " WHERE cluster_id = ? AND (occurred_at, seq) > (?, ?)"
                + " ORDER BY occurred_at, seq LIMIT ?")) {
      ps.setString(1, id);
      ps.setTimestamp(2, Timestamp.from(after.time()));
      ps.setLong(3, after.seq());
      ps.setInt(4, limit);
      List<Step> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Step(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getLong(8),
                  rs.getLong(9),
                  AuditHash.parse(rs.getString(10))));
        }
      }
      return out;
    }
  }

  /** Every spec generation, oldest first. */
  public static List<Generation> generations(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT generation, seq, occurred_at, actor, reason, spec::text FROM audit_cluster_specs"
                + " WHERE cluster_id = ? ORDER BY seq")) {
      ps.setString(1, id);
      List<Generation> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(generation(rs));
        }
      }
      return out;
    }
  }

  private static Generation generation(ResultSet rs) throws SQLException {
    return new Generation(
        rs.getLong(1),
        rs.getLong(2),
        rs.getTimestamp(3).toInstant(),
        rs.getString(4),
        rs.getString(5),
        EventJson.read(rs.getString(6), ClusterSpec.class));
  }

  /** The spec in force and the status at {@code at}: the newest of each at or before it. */
  public static Optional<StateAt> stateAt(Connection c, Cluster cluster, Instant at)
      throws SQLException {
    Generation spec;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT generation, seq, occurred_at, actor, reason, spec::text FROM audit_cluster_specs"
                + " WHERE cluster_id = ? AND occurred_at <= ?"
                + " ORDER BY occurred_at DESC, seq DESC LIMIT 1")) {
      ps.setString(1, cluster.clusterId());
      ps.setTimestamp(2, Timestamp.from(at));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        spec = generation(rs);
      }
    }
    Status status;
    boolean deregistered;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT phase, observed_generation, last_converged_generation, occurred_at, seq, kind,"
                + " EXISTS (SELECT 1 FROM audit_cluster_timeline d WHERE d.cluster_id = t.cluster_id"
                + "   AND d.kind = 'deregistered' AND d.occurred_at <= ?)"
                + " FROM audit_cluster_timeline t WHERE cluster_id = ? AND occurred_at <= ?"
                + " ORDER BY occurred_at DESC, seq DESC LIMIT 1")) {
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setString(2, cluster.clusterId());
      ps.setTimestamp(3, Timestamp.from(at));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next(); // the spec's own step is there at least
        status =
            new Status(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getTimestamp(4).toInstant(),
                rs.getLong(5),
                rs.getString(6));
        deregistered = rs.getBoolean(7);
      }
    }
    return Optional.of(
        new StateAt(cluster.clusterId(), cluster.name(), at, deregistered, spec, status));
  }
}
