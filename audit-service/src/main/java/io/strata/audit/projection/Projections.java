package io.strata.audit.projection;

import io.strata.audit.compliance.ActorChanges;
import io.strata.audit.revisions.ProfileProjection;
import io.strata.audit.timeline.ClusterProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Every read model of the audit service, fed in the transaction that appends the batch to the log,
 * and again — from the log, in the same order — by a rebuild.
 */
public final class Projections {
  /** The tables a rebuild empties and refills. */
  public static final List<String> TABLES =
      List.of(
          "audit_clusters",
          "audit_cluster_timeline",
          "audit_cluster_specs",
          "audit_profiles",
          "audit_profile_versions",
          "audit_profile_revisions",
          "audit_actor_changes");

  private Projections() {}

  public static void apply(Connection c, List<Logged> batch) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    ClusterProjection.apply(c, batch);
    ProfileProjection.apply(c, batch);
    ActorChanges.apply(c, batch);
  }
}
