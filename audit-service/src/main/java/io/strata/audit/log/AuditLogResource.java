package io.strata.audit.log;

import io.strata.audit.http.TimeParams;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Page;
import io.strata.kit.http.ProblemException;
import io.strata.kit.http.QueryParams;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class AuditLogResource {
  private final EventStore store;
  private final AuditLog log;
  private final CallerContext caller;

  AuditLogResource(EventStore store, AuditLog log, CallerContext caller) {
    this.store = store;
    this.log = log;
    this.caller = caller;
  }

  @GET
  @Path("/events")
  @Operation(
      summary =
          "The audit log, oldest first, filtered (from inclusive, to exclusive), with cursor"
              + " pagination on seq")
  public Page<AuditRecord> events(
      @QueryParam("aggregateId") String aggregateId,
      @QueryParam("type") String type,
      @QueryParam("actor") String actor,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    int size =
        TimeParams.limit(QueryParams.integer("limit", limit), Page.DEFAULT_LIMIT, Page.MAX_LIMIT);
    TimeParams.Range range = TimeParams.range(from, to);
    long afterSeq = cursor(after);
    Caller who = caller.caller();
    AuditLog.Filter filter =
        new AuditLog.Filter(
            blankToNull(aggregateId),
            blankToNull(type),
            blankToNull(actor),
            range.from().orElse(null),
            range.to().orElse(null),
            afterSeq,
            who.projects(),
            who.seesAllProjects());
    List<AuditRecord> rows = store.inTransaction(c -> log.query(c, filter, size + 1));
    return Page.of(rows, size, r -> Long.toString(r.seq()));
  }

  @GET
  @Path("/verify")
  @Operation(
      summary = "Re-check the hash chain; names the first bad record (viewers of all projects)")
  public AuditLog.Verification verify() {
    if (!caller.caller().seesAllProjects()) {
      throw new ProblemException(
          403,
          "Forbidden",
          "the chain spans every project: verifying it needs a role in all projects (*)");
    }
    return store.inTransaction(log::verify);
  }

  static long cursor(String after) {
    String key = Page.decode(after);
    try {
      long v = key == null ? 0 : Long.parseLong(key);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw TimeParams.badRequest("after", "is not a cursor this API returned");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
