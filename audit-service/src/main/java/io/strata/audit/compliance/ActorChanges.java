package io.strata.audit.compliance;

import io.strata.audit.projection.Logged;
import io.strata.events.ClusterEvent;
import io.strata.events.DomainEvent;
import io.strata.events.ProfileEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts the changes each actor made per project: people's and automation's commands. */
public final class ActorChanges {
  private ActorChanges() {}

  /**
   * A change is a command's event on a profile or cluster. Status reports and pending-update
   * notices are the system observing, not someone changing; reconcile outcomes likewise.
   */
  static boolean isChange(DomainEvent e) {
    return switch (e) {
      case ProfileEvent p -> true;
      case ClusterEvent.ClusterStatusChanged s -> false;
      case ClusterEvent.ClusterPendingUpdateDetected p -> false;
      case ClusterEvent c -> true;
      default -> false;
    };
  }

  public static void apply(Connection c, List<Logged> events) throws SQLException {
    // summed per batch first: one upsert per (actor, project), not one per event
    Map<List<String>, Long> counts =
        new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (Logged e : events) {
      if (isChange(e.event())) {
        counts.merge(List.of(e.actor(), e.project()), 1L, Long::sum);
      }
    }
    if (counts.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_actor_changes (actor, project, changes) VALUES (?, ?, ?)"
                + " ON CONFLICT (actor, project) DO UPDATE"
                + " SET changes = audit_actor_changes.changes + excluded.changes")) {
      for (Map.Entry<List<String>, Long> e : counts.entrySet()) {
        ps.setString(1, e.getKey().get(0));
        ps.setString(2, e.getKey().get(1));
        ps.setLong(3, e.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
