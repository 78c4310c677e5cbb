package io.strata.audit.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.strata.audit.http.TimeParams;
import io.strata.audit.log.AuditLog;
import io.strata.audit.log.AuditRecord;
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
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
  static final String CSV_HEADER =
      "seq,eventId,time,type,aggregateType,aggregateId,aggregateSeq,actor,project,correlationId,flag,hash,data";
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
      c.setAutoCommit(false); // a server-side cursor needs a transaction
      c.setReadOnly(true);
      StringBuilder sql =
          new StringBuilder("SELECT " + AuditLog.COLUMNS + " FROM audit_log WHERE seq > ?");
      List<Object> args = new ArrayList<>();
      args.add(filter.after());
      AuditLog.appendFilter(c, filter, sql, args);
      sql.append(" ORDER BY seq");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        ps.setFetchSize(2000);
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          if (csv) {
            writeCsv(rs, out);
          } else {
            writeJson(rs, out);
          }
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IOException("export failed: " + e.getMessage(), e);
    }
  }

  private void writeCsv(ResultSet rs, OutputStream out) throws SQLException, IOException {
    BufferedWriter w =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    w.write(CSV_HEADER);
    w.write("\r\n");
    while (rs.next()) {
      w.write(csvLine(AuditLog.read(rs)));
    }
    w.flush();
  }

  /** One RFC 4180 line. */
  static String csvLine(AuditRecord r) {
    return String.join(
            ",",
            Long.toString(r.seq()),
            r.eventId(),
            r.time().toString(),
            csv(r.type()),
            csv(r.aggregateType()),
            csv(r.aggregateId()),
            Long.toString(r.aggregateSeq()),
            csv(r.actor()),
            csv(r.project()),
            csv(r.correlationId()),
            csv(r.flag()),
            r.hash(),
            csv(r.data().toString()))
        + "\r\n";
  }

  static String csv(String v) {
    boolean quote =
        v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    // a leading =, +, - or @ would run as a formula in a spreadsheet: prefix a quote
    String safe = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
    return quote || safe != v ? "\"" + safe.replace("\"", "\"\"") + "\"" : v;
  }

  private void writeJson(ResultSet rs, OutputStream out) throws SQLException, IOException {
    try (JsonGenerator g = json.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      while (rs.next()) {
        json.writeValue(g, AuditLog.read(rs)); // leaves the generator open
      }
      g.writeEndArray();
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
