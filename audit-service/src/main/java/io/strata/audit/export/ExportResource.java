package io.strata.audit.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.strata.audit.http.TimeParams;
import io.strata.audit.log.AuditLog;
import io.strata.events.access.Role;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The log of a time range as CSV or JSON, streamed from a database cursor: rows are written as they
 * are read, so an export of millions of records holds a fetch's worth in memory, not the range.
 */
@Path("/api/v1/audit/export")
@Tag(name = "audit")
@Allow(Role.VIEWER)
public class ExportResource {
  private final AgroalDataSource db;
  private final CallerContext caller;
  private final ObjectMapper json;

  ExportResource(AgroalDataSource db, CallerContext caller, ObjectMapper json) {
    this.db = db;
    this.caller = caller;
    this.json = json;
  }

  @GET
  @Produces({"text/csv", "application/json"})
  @Operation(
      summary =
          "Export the log of a time range (from inclusive, to exclusive) as csv or json, oldest"
              + " first, streamed")
  public Response export(
      @QueryParam("format") String format,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("aggregateId") String aggregateId,
      @QueryParam("type") String type,
      @QueryParam("actor") String actor) {
    String f = format == null || format.isBlank() ? "json" : format.strip();
    if (!f.equals("csv") && !f.equals("json")) {
      throw TimeParams.badRequest("format", "must be csv or json: " + format);
    }
    TimeParams.Range range = TimeParams.range(from, to);
    Caller who = caller.caller();
    AuditLog.Filter filter =
        new AuditLog.Filter(
            blank(aggregateId),
            blank(type),
            blank(actor),
            range.from().orElse(null),
            range.to().orElse(null),
            0,
            who.projects(),
            who.seesAllProjects());
    StreamingOutput body = out -> stream(filter, f.equals("csv"), out);
    return Response.ok(body, f.equals("csv") ? "text/csv; charset=utf-8" : "application/json")
        .header("Content-Disposition", "attachment; filename=\"audit." + f + "\"")
        .build();
  }

  private void stream(AuditLog.Filter filter, boolean csv, OutputStream out) throws IOException {
    try (Connection c = db.getConnection()) {
      Exporter.write(c, filter, csv, out, json);
    } catch (SQLException e) {
      throw new IOException("export failed: " + e.getMessage(), e);
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
