package io.strata.audit.projection;

import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit/projections/rebuild")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
public class RebuildResource {
  private final EventStore store;
  private final CallerContext caller;

  RebuildResource(EventStore store, CallerContext caller) {
    this.store = store;
    this.caller = caller;
  }

  public record Rebuilt(long events, long tookMs) {}

  @POST
  @Allow(Role.ADMIN)
  @Operation(
      summary =
          "Rebuild every projection from the first record of the log (admin of all projects);"
              + " ingest waits meanwhile")
  public Rebuilt rebuild() {
    if (!caller.caller().holds(io.strata.kit.security.Caller.ALL_PROJECTS, Role.ADMIN)) {
      throw new ProblemException(
          403, "Forbidden", "projections span every project: rebuilding needs admin in all (*)");
    }
    long t0 = System.nanoTime();
    ProjectionRebuild.Result r = store.inTransaction(ProjectionRebuild::run);
    return new Rebuilt(r.events(), (System.nanoTime() - t0) / 1_000_000);
  }
}
