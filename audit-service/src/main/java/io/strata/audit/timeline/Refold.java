package io.strata.audit.timeline;

import io.strata.audit.projection.Logged;
import io.strata.events.EventJson;
import io.strata.events.cluster.ClusterSpec;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds steps logged late into their clusters' histories at their place in time. The topics are
 * read side by side, so a reconcile outcome can be logged before the spec change it followed. Each
 * timeline row keeps the state after its step: a cluster is refolded from the state just before its
 * earliest late step, through the late steps and the rows after them, which are rewritten. The cost
 * is the steps after the late one, not the whole history, and a handful of statements per batch for
 * all its clusters. The result is the fold in (time, seq) order whatever order the log received the
 * events in, so a rebuild ends with the same rows.
 */
final class Refold {
  private Refold() {}

  /** A cluster's earliest late step. */
  private record From(String clusterId, Timestamp at, long seq) {}

  /**
   * @param late per cluster, its steps of this batch that could not be folded in log order
   * @return the clusters' states after the refold
   */
  static Map<String, ClusterHistory.State> inTimeOrder(Connection c, Map<String, List<Logged>> late)
      throws SQLException {
    List<From> froms = new ArrayList<>();
    for (Map.Entry<String, List<Logged>> e : late.entrySet()) {
      Logged first =
          e.getValue().stream()
              .min(Comparator.comparing(Logged::time).thenComparingLong(Logged::seq))
              .orElseThrow();
      froms.add(new From(e.getKey(), Timestamp.from(first.time()), first.seq()));
    }
    Map<String, ClusterHistory.State> before = statesBefore(c, froms);
    Map<String, ClusterSpec> specs = specsBefore(c, froms);
    Map<String, List<Logged>> redo = new LinkedHashMap<>();
    late.forEach((id, steps) -> redo.put(id, new ArrayList<>(steps)));
    for (Logged e : deleteAfter(c, froms)) {
      redo.get(e.event().aggregateId()).add(e);
    }
    Map<String, ClusterHistory.State> out = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(ClusterProjection.INSERT_STEP)) {
      for (Map.Entry<String, List<Logged>> e : redo.entrySet()) {
        String id = e.getKey();
        List<Logged> steps = e.getValue();
        steps.sort(Comparator.comparing(Logged::time).thenComparingLong(Logged::seq));
        ClusterHistory.State s =
            before.getOrDefault(id, ClusterHistory.State.unknown(id, steps.getFirst().project()));
        ClusterSpec spec = specs.get(id);
        if (spec != null) {
          s = s.withSpecLists(spec.profiles(), spec.overrides());
        }
        for (Logged step : steps) {
          ClusterHistory.Step next = ClusterHistory.evolve(s, step);
          ClusterProjection.addStep(ps, id, step, next);
          s = next.state();
        }
        out.put(id, s);
      }
      ps.executeBatch();
    }
    return out;
  }

  private static final String FROMS =
      "unnest(?::text[], ?::timestamptz[], ?::bigint[]) AS f(cluster_id, at, seq)";

  private static void bind(Connection c, PreparedStatement ps, List<From> froms)
      throws SQLException {
    Array ids = c.createArrayOf("text", froms.stream().map(From::clusterId).toArray());
    Array ats = c.createArrayOf("timestamptz", froms.stream().map(From::at).toArray());
    Array seqs = c.createArrayOf("bigint", froms.stream().map(From::seq).toArray());
    ps.setArray(1, ids);
    ps.setArray(2, ats);
    ps.setArray(3, seqs);
  }

  private static Map<String, ClusterHistory.State> statesBefore(Connection c, List<From> froms)
      throws SQLException {
    Map<String, ClusterHistory.State> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT f.cluster_id, t.state::text FROM "
                + FROMS
                + " CROSS JOIN LATERAL (SELECT state FROM audit_cluster_timeline t"
                + "   WHERE t.cluster_id = f.cluster_id AND (t.occurred_at, t.seq) < (f.at, f.seq)"
                + "   ORDER BY t.occurred_at DESC, t.seq DESC LIMIT 1) t")) {
      bind(c, ps, froms);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), EventJson.read(rs.getString(2), ClusterHistory.State.class));
        }
      }
    }
    return out;
  }

  private static Map<String, ClusterSpec> specsBefore(Connection c, List<From> froms)
      throws SQLException {
    Map<String, ClusterSpec> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT f.cluster_id, s.spec::text FROM "
                + FROMS
                + " CROSS JOIN LATERAL (SELECT spec FROM audit_cluster_specs s"
                + "   WHERE s.cluster_id = f.cluster_id AND (s.occurred_at, s.seq) < (f.at, f.seq)"
                + "   ORDER BY s.occurred_at DESC, s.seq DESC LIMIT 1) s")) {
      bind(c, ps, froms);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), EventJson.read(rs.getString(2), ClusterSpec.class));
        }
      }
    }
    return out;
  }

  /** Deletes the rows after each cluster's earliest late step and returns their events. */
  private static List<Logged> deleteAfter(Connection c, List<From> froms) throws SQLException {
    List<Long> seqs = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM audit_cluster_timeline t USING "
                + FROMS
                + " WHERE t.cluster_id = f.cluster_id AND (t.occurred_at, t.seq) > (f.at, f.seq)"
                + " RETURNING t.seq")) {
      bind(c, ps, froms);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
    }
    List<Logged> out = new ArrayList<>();
    if (seqs.isEmpty()) {
      return out;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, occurred_at, actor, project, type, data::text FROM audit_log"
                + " WHERE seq = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Logged(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  EventJson.fromBytes(
                      rs.getString(5), rs.getString(6).getBytes(StandardCharsets.UTF_8))));
        }
      }
    }
    return out;
  }
}
