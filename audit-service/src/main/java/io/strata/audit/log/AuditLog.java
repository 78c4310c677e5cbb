package io.strata.audit.log;

import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The append-only, hash-chained log of every event, and the queries over it. */
@ApplicationScoped
public class AuditLog {

  /** Appends one event at the head of the chain; the caller's transaction records it processed. */
  public void append(Connection c, EventEnvelope e) throws SQLException {
    long prevSeq;
    String prevHash;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      prevSeq = rs.getLong(1);
      prevHash = rs.getString(2);
    }
    long seq = prevSeq + 1;
    String data = EventJson.toJson(e.event());
    Instant time = e.time().truncatedTo(ChronoUnit.MICROS);
    String hash =
        AuditHash.hash(
            prevHash,
            new AuditHash.Chained(
                seq,
                e.id().toString(),
                e.type(),
                e.subject(),
                e.seq(),
                e.actor(),
                e.project(),
                time,
                data));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log (seq, event_id, type, aggregate_type, aggregate_id, aggregate_seq,"
                + " actor, project, correlation_id, source, occurred_at, data, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setObject(2, e.id());
      ps.setString(3, e.type());
      ps.setString(4, Topics.aggregateTypeOf(e.event()));
      ps.setString(5, e.subject());
      ps.setLong(6, e.seq());
      ps.setString(7, e.actor());
      ps.setString(8, e.project());
      ps.setString(9, e.correlationId());
      ps.setString(10, e.source());
      ps.setTimestamp(11, Timestamp.from(time));
      ps.setString(12, data);
      ps.setString(13, prevHash);
      ps.setString(14, hash);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1")) {
      ps.setLong(1, seq);
      ps.setString(2, hash);
      ps.executeUpdate();
    }
  }

  /** {@code projects} null means every project. */
  public record Filter(
      String aggregateId,
      String type,
      String actor,
      Instant from,
      Instant to,
      Long after,
      java.util.Set<String> projects) {}

  public List<AuditRecord> query(Connection c, Filter f, int limit) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, event_id, type, aggregate_type, aggregate_id, aggregate_seq, actor, project,"
                + " correlation_id, occurred_at, data::text, hash FROM audit_log WHERE true");
    List<Object> args = new ArrayList<>();
    if (f.aggregateId() != null) {
      sql.append(" AND aggregate_id = ?");
      args.add(f.aggregateId());
    }
    if (f.type() != null) {
      // a full type, or its short name (ProfileCreated)
      sql.append(f.type().startsWith("io.strata.") ? " AND type = ?" : " AND type LIKE ?");
      args.add(f.type().startsWith("io.strata.") ? f.type() : "io.strata.%." + f.type() + ".v%");
    }
    if (f.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(f.actor());
    }
    if (f.from() != null) {
      sql.append(" AND occurred_at >= ?");
      args.add(Timestamp.from(f.from()));
    }
    if (f.to() != null) {
      sql.append(" AND occurred_at < ?");
      args.add(Timestamp.from(f.to()));
    }
    if (f.after() != null) {
      sql.append(" AND seq > ?");
      args.add(f.after());
    }
    if (f.projects() != null) {
      sql.append(" AND project = ANY (?)");
      args.add(c.createArrayOf("text", f.projects().toArray()));
    }
    sql.append(" ORDER BY seq LIMIT ").append(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<AuditRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new AuditRecord(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getTimestamp(10).toInstant(),
                  AuditHash.parse(rs.getString(11)),
                  rs.getString(12)));
        }
      }
      return out;
    }
  }

  public record Verification(boolean valid, long checked, Long firstBadSeq, String reason) {}

  /** Walks the whole chain in order, recomputing every hash. */
  public Verification verify(Connection c) throws SQLException {
    String expectedPrev = AuditHash.GENESIS;
    long expectedSeq = 1;
    long checked = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, event_id, type, aggregate_id, aggregate_seq, actor, project, occurred_at,"
                + " data::text, prev_hash, hash FROM audit_log ORDER BY seq")) {
      ps.setFetchSize(1000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          if (seq != expectedSeq) {
            return new Verification(
                false, checked, expectedSeq, "record " + expectedSeq + " is missing");
          }
          if (!expectedPrev.equals(rs.getString(10))) {
            return new Verification(
                false, checked, seq, "prev_hash does not link to record " + (seq - 1));
          }
          String recomputed =
              AuditHash.hash(
                  expectedPrev,
                  new AuditHash.Chained(
                      seq,
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getLong(5),
                      rs.getString(6),
                      rs.getString(7),
                      rs.getTimestamp(8).toInstant(),
                      rs.getString(9)));
          if (!recomputed.equals(rs.getString(11))) {
            return new Verification(
                false, checked, seq, "record " + seq + " does not match its hash");
          }
          expectedPrev = recomputed;
          expectedSeq++;
          checked++;
        }
      }
    }
    return new Verification(true, checked, null, null);
  }
}
