package io.strata.cluster.status;

import io.quarkus.runtime.StartupEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.ReconcileEvent;
import io.strata.events.Topics;
import io.strata.events.cluster.ClusterPhase;
import io.strata.eventstore.Projection;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.events.ProjectionConsumers;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Keeps each cluster's {@code phase}, {@code observedGeneration}, {@code lastConvergedGeneration}
 * and message from {@code strata.reconcile.events}. An outcome for an older generation than the
 * current spec only marks that generation (converged or not); the phase follows the current one.
 * Also starts the profile projection: both consumers live and die with the service.
 */
@Singleton
public class ClusterStatus implements Projection {

  void start(@Observes StartupEvent ignored, ProjectionConsumers consumers, KnownProfiles known) {
    consumers.start("cluster-service.profiles", List.of(Topics.PROFILE_EVENTS), known);
    consumers.start("cluster-service.status", List.of(Topics.RECONCILE_EVENTS), this);
  }

  @Override
  public void apply(Connection c, EventEnvelope e) throws SQLException {
    if (!(e.event() instanceof ReconcileEvent event)) {
      return;
    }
    String id = event.clusterId().value();
    long g = event.generation();
    Timestamp at = Timestamp.from(e.time());
    switch (event) {
      case ReconcileEvent.ReconcileStarted s ->
          phase(c, id, g, ClusterPhase.Reconciling, "reconciling generation " + g, at, false);
      case ReconcileEvent.ReconcileSucceeded s -> converged(c, id, g, at);
      case ReconcileEvent.ReconcileFailed f ->
          phase(c, id, g, ClusterPhase.Failed, f.error(), at, true);
      case ReconcileEvent.DriftDetected d ->
          phase(
              c,
              id,
              g,
              d.corrected() ? ClusterPhase.Reconciling : ClusterPhase.Drifted,
              d.objects().size() + " object(s) drifted" + (d.corrected() ? "; correcting" : ""),
              at,
              false);
      case ReconcileEvent.DriftCorrected d ->
          phase(c, id, g, ClusterPhase.Converged, "", at, false);
    }
  }

  /**
   * Marks the generation converged and, when it is still the current one, the cluster Converged:
   * one update of the cluster's row, since this runs once per reconcile of a whole fleet.
   */
  private static void converged(Connection c, String id, long generation, Timestamp at)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE cluster_generations SET converged = true WHERE cluster_id = ? AND generation"
                + " = ?")) {
      ps.setString(1, id);
      ps.setLong(2, generation);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE clusters SET last_converged_generation = GREATEST(last_converged_generation,"
                + " ?), phase = CASE WHEN generation = ? THEN ? ELSE phase END,"
                + " message = CASE WHEN generation = ? THEN '' ELSE message END,"
                + " status_updated_at = CASE WHEN generation = ? THEN ? ELSE status_updated_at END,"
                + " observed_generation = CASE WHEN generation = ? THEN"
                + " GREATEST(observed_generation, ?) ELSE observed_generation END WHERE id = ?")) {
      ps.setLong(1, generation);
      ps.setLong(2, generation);
      ps.setString(3, ClusterPhase.Converged.name());
      ps.setLong(4, generation);
      ps.setLong(5, generation);
      ps.setTimestamp(6, at);
      ps.setLong(7, generation);
      ps.setLong(8, generation);
      ps.setString(9, id);
      ps.executeUpdate();
    }
  }

  /** The phase changes only for the current generation; {@code observed} marks it looked at. */
  private static void phase(
      Connection c,
      String id,
      long generation,
      ClusterPhase phase,
      String message,
      Timestamp at,
      boolean observed)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE clusters SET phase = ?, message = ?, status_updated_at = ?,"
                + " observed_generation = CASE WHEN ? THEN GREATEST(observed_generation, ?) ELSE"
                + " observed_generation END WHERE id = ? AND generation = ?")) {
      ps.setString(1, phase.name());
      ps.setString(2, message.length() > 2000 ? message.substring(0, 2000) : message);
      ps.setTimestamp(3, at);
      ps.setBoolean(4, observed);
      ps.setLong(5, generation);
      ps.setString(6, id);
      ps.setLong(7, generation);
      ps.executeUpdate();
    }
  }
}
