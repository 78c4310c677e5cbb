package io.strata.audit.timeline;

import io.strata.audit.projection.Logged;
import io.strata.events.EventJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
    try (PreparedStatement timeline =
            c.prepareStatement(
                "INSERT INTO audit_cluster_timeline (seq, cluster_id, occurred_at, kind, generation,"
                    + " actor, reason, phase, observed_generation, last_converged_generation,"
                    + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)");
        PreparedStatement specs =
            c.prepareStatement(
                "INSERT INTO audit_cluster_specs (cluster_id, seq, generation, occurred_at, actor,"
                    + " reason, spec) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      boolean anySpec = false;
      for (Logged e : mine) {
        String id = e.event().aggregateId();
        ClusterHistory.State before =
            states.computeIfAbsent(id, k -> ClusterHistory.State.unknown(k, e.project()));
        ClusterHistory.Step step = ClusterHistory.evolve(before, e);
        states.put(id, step.state());
        touched.put(id, e.seq());
        ClusterHistory.Entry entry = step.entry();
        timeline.setLong(1, e.seq());
        timeline.setString(2, id);
        timeline.setTimestamp(3, Timestamp.from(e.time()));
        timeline.setString(4, entry.kind().label());
        timeline.setLong(5, entry.generation());
        timeline.setString(6, e.actor());
        timeline.setString(7, entry.reason());
        timeline.setString(8, step.state().phase().name());
        timeline.setLong(9, step.state().observedGeneration());
        timeline.setLong(10, step.state().lastConvergedGeneration());
        timeline.setString(11, EventJson.write(entry.detail()));
        timeline.addBatch();
        if (step.spec().isPresent()) {
          ClusterHistory.SpecChange sc = step.spec().get();
          specs.setString(1, id);
          specs.setLong(2, e.seq());
          specs.setLong(3, sc.generation());
          specs.setTimestamp(4, Timestamp.from(e.time()));
          specs.setString(5, e.actor());
          specs.setString(6, sc.reason());
          specs.setString(7, EventJson.write(sc.spec()));
          specs.addBatch();
          anySpec = true;
        }
      }
      timeline.executeBatch();
      if (anySpec) {
        specs.executeBatch();
      }
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
