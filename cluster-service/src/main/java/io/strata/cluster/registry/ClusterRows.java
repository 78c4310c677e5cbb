package io.strata.cluster.registry;

import io.strata.cluster.domain.ClusterState;
import io.strata.events.ClusterEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.cluster.ClusterPhase;
import io.strata.events.cluster.ClusterSpec;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The clusters read model, written in the transaction that appends the cluster's events: the
 * aggregate state (so commands fold nothing), the attachments, and every generation.
 */
@Singleton
public class ClusterRows {

  /** A cluster's state as of {@code seq}, locked for the rest of the transaction. */
  public record Locked(ClusterState state, long seq) {}

  public Optional<Locked> lock(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, seq FROM clusters WHERE id = ? AND NOT deleted FOR UPDATE")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Locked(parse(rs.getString(1)), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /**
   * Locks every cluster of {@code ids} that exists, in id order (so that two batches over shared
   * clusters cannot deadlock), in one query.
   */
  public Map<String, Locked> lockAll(Connection c, List<String> ids) throws SQLException {
    Map<String, Locked> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, state, seq FROM clusters WHERE id = ANY (?) AND NOT deleted ORDER BY id"
                + " FOR UPDATE")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new Locked(parse(rs.getString(2)), rs.getLong(3)));
        }
      }
    }
    return out;
  }

  /** A cluster's name within its project. */
  public record ProjectName(String project, String name) {}

  /** Which of {@code names} live clusters already have, in one query. */
  public java.util.Set<ProjectName> namesTaken(Connection c, List<ProjectName> names)
      throws SQLException {
    java.util.Set<ProjectName> taken = new java.util.HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.project, c.name FROM clusters c JOIN unnest(?::text[], ?::text[]) AS n"
                + " (project, name) ON c.project = n.project AND c.name = n.name WHERE NOT"
                + " c.deleted")) {
      ps.setArray(1, c.createArrayOf("text", names.stream().map(ProjectName::project).toArray()));
      ps.setArray(2, c.createArrayOf("text", names.stream().map(ProjectName::name).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          taken.add(new ProjectName(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return taken;
  }

  public boolean nameTaken(Connection c, String project, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM clusters WHERE project = ? AND name = ? AND NOT deleted")) {
      ps.setString(1, project);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public Optional<ClusterSpec> generation(Connection c, String id, long generation)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT spec FROM cluster_generations WHERE cluster_id = ? AND generation = ?")) {
      ps.setString(1, id);
      ps.setLong(2, generation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(EventJson.read(rs.getString(1), ClusterSpec.class))
            : Optional.empty();
      }
    }
  }

  public OptionalLong lastConvergedBefore(Connection c, String id, long generation)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT max(generation) FROM cluster_generations WHERE cluster_id = ? AND converged"
                + " AND generation < ?")) {
      ps.setString(1, id);
      ps.setLong(2, generation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long g = rs.getLong(1);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(g);
      }
    }
  }

  /** A generation a rollback would restore, and whether the reconciler converged it. */
  public record Earlier(long generation, ClusterSpec spec, boolean converged) {}

  /**
   * For every cluster of {@code ids}, the generation a rollback restores: {@code toGeneration} when
   * given, else the newest converged one below the current generation. One query for a batch.
   */
  public Map<String, Earlier> rollbackTargets(
      Connection c, List<String> ids, OptionalLong toGeneration) throws SQLException {
    Map<String, Earlier> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT ON (g.cluster_id) g.cluster_id, g.generation, g.spec, g.converged"
                + " FROM"
                + " cluster_generations g JOIN clusters k ON k.id = g.cluster_id WHERE g.cluster_id"
                + " = ANY (?) AND g.generation < k.generation AND (CASE WHEN ? THEN g.generation ="
                + " ? ELSE g.converged OR g.generation = k.generation - 1 END)"
                + " ORDER BY g.cluster_id, g.converged DESC, g.generation DESC")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      ps.setBoolean(2, toGeneration.isPresent());
      ps.setLong(3, toGeneration.orElse(0));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getString(1),
              new Earlier(
                  rs.getLong(2),
                  EventJson.read(rs.getString(3), ClusterSpec.class),
                  rs.getBoolean(4)));
        }
      }
    }
    return out;
  }

  /** Applies freshly appended events; {@code before} is the state they were decided on. */
  public ClusterState apply(Connection c, ClusterState before, List<EventEnvelope> appended)
      throws SQLException {
    return applyAll(c, List.of(new Appended(before, appended))).getFirst();
  }

  /** Events appended for one cluster, and the state they were decided on. */
  public record Appended(ClusterState before, List<EventEnvelope> events) {}

  /**
   * Applies the appends of many clusters, one decision each, with one round trip per kind of write:
   * a fleet batch of hundreds of clusters waited on the database once per cluster before. The k-th
   * events of all clusters are written together (the registrations' inserts first, then the new
   * generations, then the other changes), so each cluster's writes keep their order. Answers each
   * cluster's state.
   */
  public List<ClusterState> applyAll(Connection c, List<Appended> appends) throws SQLException {
    if (appends.stream().map(a -> a.before().id()).distinct().count() != appends.size()) {
      // a second decision's writes could land before the first's: callers decide once per cluster
      throw new IllegalArgumentException("a cluster is applied twice in one call");
    }
    List<ClusterState> states = new java.util.ArrayList<>(appends.size());
    appends.forEach(a -> states.add(a.before()));
    int rounds = appends.stream().mapToInt(a -> a.events().size()).max().orElse(0);
    for (int round = 0; round < rounds; round++) {
      List<Write> registered = new java.util.ArrayList<>();
      List<Write> generations = new java.util.ArrayList<>();
      List<Write> changed = new java.util.ArrayList<>();
      for (int i = 0; i < appends.size(); i++) {
        List<EventEnvelope> events = appends.get(i).events();
        if (round >= events.size()) {
          continue;
        }
        EventEnvelope e = events.get(round);
        ClusterEvent event = (ClusterEvent) e.event();
        ClusterState before = states.get(i);
        ClusterState state = before.evolve(event);
        states.set(i, state);
        Write write = new Write(state, e, event);
        if (event instanceof ClusterEvent.ClusterRegistered) {
          registered.add(write);
          generations.add(write);
        } else if (state.generation() != before.generation()) {
          generations.add(write);
        } else {
          changed.add(write);
        }
      }
      insertRegistered(c, registered);
      newGenerations(c, generations);
      updateChanged(c, changed);
    }
    return states;
  }

  /** One event's write: the state it led to. */
  private record Write(ClusterState state, EventEnvelope envelope, ClusterEvent event) {}

  private static void insertRegistered(Connection c, List<Write> writes) throws SQLException {
    if (writes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO clusters (id, name, project, labels, target_kind, state, seq,"
                + " generation, phase, message, status_updated_at, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Write w : writes) {
        ClusterEvent.ClusterRegistered r = (ClusterEvent.ClusterRegistered) w.event();
        Timestamp at = Timestamp.from(w.envelope().time());
        ps.setString(1, r.clusterId().value());
        ps.setString(2, r.name());
        ps.setString(3, r.project());
        ps.setString(4, EventJson.write(r.labels()));
        ps.setString(5, r.target().kind().name().toLowerCase(java.util.Locale.ROOT));
        ps.setString(6, EventJson.write(w.state()));
        ps.setLong(7, w.envelope().seq());
        ps.setLong(8, w.state().generation());
        ps.setString(9, ClusterPhase.Pending.name());
        ps.setString(10, waiting(w.state().generation()));
        ps.setTimestamp(11, at);
        ps.setTimestamp(12, at);
        ps.setTimestamp(13, at);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void updateChanged(Connection c, List<Write> writes) throws SQLException {
    if (writes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE clusters SET state = ?, seq = ?, updated_at = ?, deleted = ? WHERE id = ?")) {
      for (Write w : writes) {
        ps.setString(1, EventJson.write(w.state()));
        ps.setLong(2, w.envelope().seq());
        ps.setTimestamp(3, Timestamp.from(w.envelope().time()));
        ps.setBoolean(4, !w.state().registered());
        ps.setString(5, w.state().id().value());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * New generations, one statement each: the cluster's row (phase Pending), the generation, and the
   * attachments (rows of profiles no longer attached deleted, the others upserted; a deregistered
   * cluster keeps none).
   */
  private static void newGenerations(Connection c, List<Write> writes) throws SQLException {
    if (writes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH g AS (INSERT INTO cluster_generations (cluster_id, generation, reason,"
                + " spec, actor, at, restored_from) VALUES (?, ?, ?, ?, ?, ?, ?)),"
                + " detached AS (DELETE FROM cluster_attachments WHERE cluster_id = ? AND NOT"
                + " (profile_id = ANY (?::text[]))),"
                + " attached AS (INSERT INTO cluster_attachments (cluster_id, profile_id, version,"
                + " revision) SELECT ?, p, v, r FROM unnest(?::text[], ?::text[], ?::int[]) AS"
                + " a (p, v, r) ON CONFLICT (cluster_id, profile_id) DO UPDATE SET version ="
                + " EXCLUDED.version, revision = EXCLUDED.revision)"
                + " UPDATE clusters SET state = ?, seq = ?, generation = ?, updated_at = ?,"
                + " deleted = ?, phase = 'Pending', message = ?, status_updated_at = ? WHERE id ="
                + " ?")) {
      for (Write w : writes) {
        ClusterState state = w.state();
        EventEnvelope e = w.envelope();
        List<io.strata.events.cluster.AttachedProfile> attached =
            state.registered() ? state.spec().profiles() : List.of();
        Timestamp at = Timestamp.from(e.time());
        String id = state.id().value();
        ps.setString(1, id);
        ps.setLong(2, state.spec().generation());
        ps.setString(3, reason(w.event()));
        ps.setString(4, EventJson.write(state.spec()));
        ps.setString(5, e.actor());
        ps.setTimestamp(6, at);
        ps.setObject(7, restoredFrom(w.event()));
        Object[] profiles = attached.stream().map(a -> a.profileId().value()).toArray();
        ps.setString(8, id);
        ps.setArray(9, c.createArrayOf("text", profiles));
        ps.setString(10, id);
        ps.setArray(11, c.createArrayOf("text", profiles));
        ps.setArray(
            12,
            c.createArrayOf("text", attached.stream().map(a -> a.version().toString()).toArray()));
        ps.setArray(
            13, c.createArrayOf("int4", attached.stream().map(a -> a.revision()).toArray()));
        ps.setString(14, EventJson.write(state));
        ps.setLong(15, e.seq());
        ps.setLong(16, state.generation());
        ps.setTimestamp(17, at);
        ps.setBoolean(18, !state.registered());
        ps.setString(19, waiting(state.generation()));
        ps.setTimestamp(20, at);
        ps.setString(21, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static String waiting(long generation) {
    return "generation " + generation + " waits for the reconciler";
  }

  private static String reason(ClusterEvent event) {
    return switch (event) {
      case ClusterEvent.ClusterRegistered r -> "register";
      case ClusterEvent.ClusterProfilesAttached a -> a.reason();
      case ClusterEvent.ClusterVariablesSet v -> "variables";
      case ClusterEvent.ClusterOverrideSet o -> "override";
      case ClusterEvent.ClusterOverrideRemoved o -> "override-removed";
      case ClusterEvent.ClusterUpdatesApplied u -> "apply-updates";
      case ClusterEvent.ClusterRolledBack r -> "rollback";
      case ClusterEvent.ClusterDeregistered d -> "deregister";
      case ClusterEvent.ClusterPendingUpdateDetected p -> "pending-update";
      case ClusterEvent.ClusterStatusChanged s -> "status";
      case ClusterEvent.ClusterDriftPolicySet p -> "drift-policy";
    };
  }

  private static Long restoredFrom(ClusterEvent event) {
    return event instanceof ClusterEvent.ClusterRolledBack r ? r.restoredGeneration() : null;
  }

  public static ClusterState parse(String json) {
    return EventJson.read(json, ClusterState.class);
  }
}
