package io.strata.audit.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.audit.log.AuditLog;
import io.strata.audit.log.AuditRecord;
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

/**
 * Writes the log rows a filter selects, oldest first, from a server-side cursor: a fetch's worth of
 * rows is in memory at a time, whatever the size of the range.
 */
public final class Exporter {
  public static final String CSV_HEADER =
      "seq,eventId,time,type,aggregateType,aggregateId,aggregateSeq,actor,project,correlationId,"
          + "flag,hash,data";
  private static final int FETCH = 2000;

  private Exporter() {}

  /**
   * @return how many records were written
   */
  public static long write(
      Connection c, AuditLog.Filter filter, boolean csv, OutputStream out, ObjectMapper json)
      throws SQLException, IOException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
    try {
      StringBuilder sql =
          new StringBuilder("SELECT " + AuditLog.COLUMNS + " FROM audit_log WHERE seq > ?");
      List<Object> args = new ArrayList<>();
      args.add(filter.after());
      AuditLog.appendFilter(c, filter, sql, args);
      sql.append(" ORDER BY seq");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        ps.setFetchSize(FETCH);
        for (int i = 0; i < args.size(); i++) {
          ps.setObject(i + 1, args.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          return csv ? writeCsv(rs, out) : writeJson(rs, out, json);
        }
      }
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
  }

  private static long writeCsv(ResultSet rs, OutputStream out) throws SQLException, IOException {
    BufferedWriter w =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    w.write(CSV_HEADER);
    w.write("\r\n");
    long n = 0;
    while (rs.next()) {
      w.write(csvLine(AuditLog.read(rs)));
      n++;
    }
    w.flush();
    return n;
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
    boolean formula = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0;
    String safe = formula ? "'" + v : v;
    return quote || formula ? "\"" + safe.replace("\"", "\"\"") + "\"" : v;
  }

  private static long writeJson(ResultSet rs, OutputStream out, ObjectMapper json)
      throws SQLException, IOException {
    long n = 0;
    try (JsonGenerator g = json.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartArray();
      while (rs.next()) {
        json.writeValue(g, AuditLog.read(rs)); // leaves the generator open
        n++;
      }
      g.writeEndArray();
    }
    return n;
  }
}
