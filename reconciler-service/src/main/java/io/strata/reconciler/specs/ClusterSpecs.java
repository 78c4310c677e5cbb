package io.strata.reconciler.specs;

import io.strata.events.ClusterEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.DriftPolicy;
import io.strata.eventstore.Projection;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Locale;
import java.util.Optional;

/**
 * The newest spec of every cluster, from {@code strata.cluster.events}. Idempotent and rebuildable:
 * an event never moves a cluster to an older generation.
 */
@Singleton
public class ClusterSpecs implements Projection {

  /** What the reconciler needs of a cluster. */
  public record Known(
      String clusterId,
      String project,
      String targetKind,
      String credentialsRef,
      ClusterSpec spec,
      boolean deregistered,
      boolean prune,
      DriftPolicy driftPolicy) {}

  /**
   * Whether {@code event} changes what a cluster should run: a new generation, a deregistration.
   */
  public static boolean changesWhatRuns(io.strata.events.DomainEvent event) {
    return event instanceof ClusterEvent e
        && !(e instanceof ClusterEvent.ClusterPendingUpdateDetected)
        && !(e instanceof ClusterEvent.ClusterStatusChanged)
        && !(e instanceof ClusterEvent.ClusterDriftPolicySet);
  }

  @Override
  public void apply(Connection c, EventEnvelope e) throws SQLException {
    if (!(e.event() instanceof ClusterEvent event)) {
      return;
    }
    Timestamp at = Timestamp.from(e.time());
    switch (event) {
      case ClusterEvent.ClusterRegistered r -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO cluster_specs (cluster_id, project, target_kind, credentials_ref,"
                    + " generation, spec, updated_at, drift_policy) VALUES (?, ?, ?, ?, ?, ?,"
                    + " ?, ?) ON CONFLICT (cluster_id) DO NOTHING")) {
          ps.setString(1, r.clusterId().value());
          ps.setString(2, r.project());
          ps.setString(3, r.target().kind().name().toLowerCase(Locale.ROOT));
          ps.setString(4, r.target().credentialsRef());
          ps.setLong(5, r.spec().generation());
          ps.setString(6, EventJson.write(r.spec()));
          ps.setTimestamp(7, at);
          ps.setString(8, policy(r.driftPolicy()));
          ps.executeUpdate();
        }
      }
      case ClusterEvent.ClusterDriftPolicySet p -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE cluster_specs SET drift_policy = ?, updated_at = ? WHERE cluster_id = ?")) {
          ps.setString(1, policy(p.policy()));
          ps.setTimestamp(2, at);
          ps.setString(3, p.clusterId().value());
          ps.executeUpdate();
        }
      }
      case ClusterEvent.ClusterProfilesAttached a -> spec(c, a.clusterId().value(), a.spec(), at);
      case ClusterEvent.ClusterVariablesSet v -> spec(c, v.clusterId().value(), v.spec(), at);
      case ClusterEvent.ClusterOverrideSet o -> spec(c, o.clusterId().value(), o.spec(), at);
      case ClusterEvent.ClusterOverrideRemoved o -> spec(c, o.clusterId().value(), o.spec(), at);
      case ClusterEvent.ClusterUpdatesApplied u -> spec(c, u.clusterId().value(), u.spec(), at);
      case ClusterEvent.ClusterRolledBack r -> spec(c, r.clusterId().value(), r.spec(), at);
      case ClusterEvent.ClusterDeregistered d -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE cluster_specs SET deregistered = true, prune = ?, updated_at = ? WHERE"
                    + " cluster_id = ?")) {
          ps.setBoolean(1, d.prune());
          ps.setTimestamp(2, at);
          ps.setString(3, d.clusterId().value());
          ps.executeUpdate();
        }
      }
      case ClusterEvent.ClusterPendingUpdateDetected p -> {}
      case ClusterEvent.ClusterStatusChanged s -> {}
    }
  }

  private static String policy(DriftPolicy p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  private static void spec(Connection c, String id, ClusterSpec spec, Timestamp at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE cluster_specs SET generation = ?, spec = ?, updated_at = ? WHERE"
                + " cluster_id = ? AND generation < ?")) {
      ps.setLong(1, spec.generation());
      ps.setString(2, EventJson.write(spec));
      ps.setTimestamp(3, at);
      ps.setString(4, id);
      ps.setLong(5, spec.generation());
      ps.executeUpdate();
    }
  }

  public Optional<Known> find(Connection c, String clusterId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT cluster_id, project, target_kind, credentials_ref, spec, deregistered, prune,"
                + " drift_policy FROM cluster_specs WHERE cluster_id = ?")) {
      ps.setString(1, clusterId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Known(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    EventJson.read(rs.getString(5), ClusterSpec.class),
                    rs.getBoolean(6),
                    rs.getBoolean(7),
                    DriftPolicy.valueOf(rs.getString(8).toUpperCase(Locale.ROOT))))
            : Optional.empty();
      }
    }
  }
}
