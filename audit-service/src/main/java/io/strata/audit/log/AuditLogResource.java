package io.strata.audit.log;

import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Page;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
  @Operation(summary = "The audit log, oldest first, filtered, with cursor pagination")
  public Page<AuditRecord> events(
      @QueryParam("aggregateId") String aggregateId,
      @QueryParam("type") String type,
      @QueryParam("actor") String actor,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("after") String after,
      @QueryParam("limit") Integer limit) {
    int size = Page.limit(limit);
    String cursor = Page.decode(after);
    Long afterSeq;
    try {
      afterSeq = cursor == null ? null : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new ProblemException(400, "Bad Request", "after is not a cursor this API returned");
    }
    AuditLog.Filter filter =
        new AuditLog.Filter(
            blankToNull(aggregateId),
            blankToNull(type),
            blankToNull(actor),
            instant("from", from),
            instant("to", to),
            afterSeq,
            caller.caller().seesAllProjects() ? null : caller.caller().projects());
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

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Instant instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          400, "Bad Request", name + " must be an RFC 3339 UTC time such as 2026-11-24T10:00:00Z");
    }
  }
}
