package io.strata.audit.timeline;

import io.strata.audit.http.TimeParams;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Page;
import io.strata.kit.http.ProblemException;
import io.strata.kit.http.QueryParams;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit/clusters/{id}")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ClusterResource {
  public static final int TIMELINE_MAX = 1000;
  private final EventStore store;
  private final CallerContext caller;

  ClusterResource(EventStore store, CallerContext caller) {
    this.store = store;
    this.caller = caller;
  }

  public record Timeline(
      String clusterId,
      String name,
      String project,
      String phase,
      long generation,
      boolean deregistered,
      List<ClusterViews.Step> items,
      String next) {}

  @GET
  @Path("/timeline")
  @Operation(
      summary =
          "Every change (generation, reason, actor) and outcome (reconciles, drift) of a cluster,"
              + " oldest first")
  public Timeline timeline(
      @PathParam("id") String id,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    int size = TimeParams.limit(QueryParams.integer("limit", limit), TIMELINE_MAX, TIMELINE_MAX);
    ClusterViews.Position from = cursor(after);
    ClusterViews.Cluster cluster = visible(id);
    List<ClusterViews.Step> rows =
        store.inTransaction(c -> ClusterViews.timeline(c, id, from, size + 1));
    Page<ClusterViews.Step> page =
        Page.of(rows, size, s -> new ClusterViews.Position(s.time(), s.seq()).key());
    return new Timeline(
        id,
        cluster.name(),
        cluster.project(),
        cluster.phase(),
        cluster.generation(),
        cluster.deregistered(),
        page.items(),
        page.next());
  }

  @GET
  @Path("/state")
  @Operation(summary = "A cluster's spec and status as they were at an instant (?at=RFC 3339)")
  public ClusterViews.StateAt state(@PathParam("id") String id, @QueryParam("at") String at) {
    Instant when = TimeParams.required("at", at);
    ClusterViews.Cluster cluster = visible(id);
    return store
        .inTransaction(c -> ClusterViews.stateAt(c, cluster, when))
        .orElseThrow(
            () ->
                new ProblemException(
                    404, "Not Found", "cluster " + id + " was not registered yet at " + when));
  }

  private ClusterViews.Cluster visible(String id) {
    return store
        .inTransaction(c -> ClusterViews.cluster(c, id))
        .filter(cl -> caller.caller().canSee(cl.project()))
        .orElseThrow(() -> ProblemException.notFound("cluster " + id));
  }

  static ClusterViews.Position cursor(String after) {
    String key = Page.decode(after);
    if (key == null) {
      return ClusterViews.Position.START;
    }
    return ClusterViews.Position.parse(key)
        .orElseThrow(() -> TimeParams.badRequest("after", "is not a cursor this API returned"));
  }
}
