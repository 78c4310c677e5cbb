package io.strata.audit.compliance;

import io.strata.audit.timeline.ClusterViews;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit/compliance")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ComplianceResource {
  private final EventStore store;
  private final CallerContext caller;

  ComplianceResource(EventStore store, CallerContext caller) {
    this.store = store;
    this.caller = caller;
  }

  @GET
  @Operation(
      summary =
          "Clusters by phase, with pending updates, overrides, deprecated versions, drift (now and"
              + " how often), changes per actor, and mean time to recovery")
  public Compliance.Report compliance() {
    return report(store, caller.caller());
  }

  /** The report for what {@code who} may see; the dashboard shows the same. */
  public static Compliance.Report report(EventStore store, Caller who) {
    return store.inTransaction(
        c ->
            Compliance.compute(
                ClusterViews.clusters(c, who.projects(), who.seesAllProjects()).stream()
                    .map(ClusterViews.Cluster::state)
                    .toList(),
                versions(c),
                actors(c, who)));
  }

  private static Map<String, Compliance.VersionFacts> versions(Connection c) throws SQLException {
    Map<String, Compliance.VersionFacts> out = new HashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT profile_id, version, latest_revision, deprecated FROM audit_profile_versions");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(
            rs.getString(1) + "@" + rs.getString(2),
            new Compliance.VersionFacts(rs.getInt(3), rs.getBoolean(4)));
      }
    }
    return out;
  }

  private static Map<String, Long> actors(Connection c, Caller who) throws SQLException {
    boolean all = who.seesAllProjects();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT actor, sum(changes) FROM audit_actor_changes"
                + (all ? "" : " WHERE project = ANY (?)")
                + " GROUP BY actor")) {
      if (!all) {
        ps.setArray(1, c.createArrayOf("text", who.projects().toArray()));
      }
      Map<String, Long> out = new TreeMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    }
  }
}
