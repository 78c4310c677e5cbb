package io.strata.audit.timeline;

import io.strata.audit.projection.Logged;
import io.strata.events.EventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link ClusterHistory}'s steps for a batch of the log: the states of the batch's clusters
 * are read once, folded in memory in seq order, and written back with the timeline and spec rows in
 * JDBC batches, so ingest costs a few round trips per poll, not per event. The result does not
 * depend on where batches begin and end.
 */
public final class ClusterProjection {
  private ClusterProjection() {}

  public static void apply(Connection c, List<Logged> events) throws SQLException {
    List<Logged> mine = events.stream().filter(e -> ClusterHistory.concerns(e.event())).toList();
    if (mine.isEmpty()) {
      return;
    }
    Map<String, ClusterHistory.State> states = load(c, mine);
    Map<String, Long> touched = new LinkedHashMap<>();
    // clusters with a step logged late: their steps of this batch are folded afterwards, together
    Map<String, List<Logged>> late = new LinkedHashMap<>();
    try (PreparedStatement timeline = c.prepareStatement(INSERT_STEP);
        PreparedStatement specs = c.prepareStatement(INSERT_SPEC)) {
      for (Logged e : mine) {
        String id = e.event().aggregateId();
        ClusterHistory.State before =
            states.computeIfAbsent(id, k -> ClusterHistory.State.unknown(k, e.project()));
        ClusterHistory.Step step = ClusterHistory.evolve(before, e);
        touched.put(id, e.seq());
        if (step.spec().isPresent()) {
          addSpec(specs, id, e, step.spec().get());
        }
        if (late.containsKey(id) || ClusterHistory.isLate(before, e)) {
          late.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
          continue;
        }
        states.put(id, step.state());
        addStep(timeline, id, e, step);
      }
      timeline.executeBatch();
      specs.executeBatch();
    }
    if (!late.isEmpty()) {
      states.putAll(Refold.inTimeOrder(c, late));
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_clusters (cluster_id, project, name, phase, generation,"
                + " deregistered, state, updated_seq) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (cluster_id) DO UPDATE SET project = excluded.project,"
                + " name = excluded.name, phase = excluded.phase, generation = excluded.generation,"
                + " deregistered = excluded.deregistered, state = excluded.state,"
                + " updated_seq = excluded.updated_seq")) {
      for (Map.Entry<String, Long> t : touched.entrySet()) {
        ClusterHistory.State s = states.get(t.getKey());
        ps.setString(1, s.clusterId());
        ps.setString(2, s.project());
        ps.setString(3, s.name());
        ps.setString(4, s.phase().name());
        ps.setLong(5, s.generation());
        ps.setBoolean(6, s.deregistered());
        ps.setString(7, EventJson.write(s));
        ps.setLong(8, t.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static final String INSERT_STEP =
      "INSERT INTO audit_cluster_timeline (seq, cluster_id, occurred_at, kind, generation, actor,"
          + " reason, phase, observed_generation, last_converged_generation, detail, state)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)";
  private static final String INSERT_SPEC =
      "INSERT INTO audit_cluster_specs (cluster_id, seq, generation, occurred_at, actor, reason,"
          + " spec) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)";

  static void addStep(PreparedStatement ps, String id, Logged e, ClusterHistory.Step step)
      throws SQLException {
    ClusterHistory.Entry entry = step.entry();
    ps.setLong(1, e.seq());
    ps.setString(2, id);
    ps.setTimestamp(3, Timestamp.from(e.time()));
    ps.setString(4, entry.kind().label());
    ps.setLong(5, entry.generation());
    ps.setString(6, e.actor());
    ps.setString(7, entry.reason());
    ps.setString(8, step.state().phase().name());
    ps.setLong(9, step.state().observedGeneration());
    ps.setLong(10, step.state().lastConvergedGeneration());
    ps.setString(11, EventJson.write(entry.detail()));
    ps.setString(12, EventJson.write(step.state().withoutSpecLists()));
    ps.addBatch();
  }

  private static void addSpec(
      PreparedStatement ps, String id, Logged e, ClusterHistory.SpecChange sc) throws SQLException {
    ps.setString(1, id);
    ps.setLong(2, e.seq());
    ps.setLong(3, sc.generation());
    ps.setTimestamp(4, Timestamp.from(e.time()));
    ps.setString(5, e.actor());
    ps.setString(6, sc.reason());
    ps.setString(7, EventJson.write(sc.spec()));
    ps.addBatch();
  }

  private static Map<String, ClusterHistory.State> load(Connection c, List<Logged> events)
      throws SQLException {
    Map<String, ClusterHistory.State> states = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT cluster_id, state::text FROM audit_clusters WHERE cluster_id = ANY (?)")) {
      ps.setArray(
          1,
          c.createArrayOf(
              "text", events.stream().map(e -> e.event().aggregateId()).distinct().toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          states.put(rs.getString(1), EventJson.read(rs.getString(2), ClusterHistory.State.class));
        }
      }
    }
    return states;
  }
}
