package io.strata.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.audit.ingest.Incoming;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The append-only, hash-chained log of every event, and the queries over it. */
@ApplicationScoped
public class AuditLog {
  public static final String COLUMNS =
      "seq, event_id, type, aggregate_type, aggregate_id, aggregate_seq, actor, project,"
          + " correlation_id, occurred_at, data::text, hash, flag";

  /** An appended record, and the event it carries when this build could decode it. */
  public record Appended(AuditRecord record, Incoming incoming) {}

  /**
   * Appends a batch at the head of the chain, in order, skipping events already logged (a
   * redelivery) and repeats within the batch. The head's row lock serialises appenders, so the
   * chain has no forks; the caller's transaction commits it together with the projections.
   */
  public List<Appended> appendAll(Connection c, List<Incoming> batch) throws SQLException {
    if (batch.isEmpty()) {
      return List.of();
    }
    long seq;
    String prevHash;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      seq = rs.getLong(1);
      prevHash = rs.getString(2);
    }
    Set<UUID> seen = alreadyLogged(c, batch);
    List<Appended> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_log (seq, event_id, type, aggregate_type, aggregate_id,"
                + " aggregate_seq, actor, project, correlation_id, source, occurred_at, data,"
                + " prev_hash, hash, topic, flag)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)")) {
      for (Incoming e : batch) {
        if (!seen.add(e.eventId())) {
          continue;
        }
        seq++;
        JsonNode data = AuditHash.parse(e.data());
        String hash =
            AuditHash.hash(
                prevHash,
                new AuditHash.Chained(
                    seq,
                    e.eventId().toString(),
                    e.type(),
                    e.aggregateId(),
                    e.aggregateSeq(),
                    e.actor(),
                    e.project(),
                    e.time(),
                    e.data()),
                data);
        ps.setLong(1, seq);
        ps.setObject(2, e.eventId());
        ps.setString(3, e.type());
        ps.setString(4, e.aggregateType());
        ps.setString(5, e.aggregateId());
        ps.setLong(6, e.aggregateSeq());
        ps.setString(7, e.actor());
        ps.setString(8, e.project());
        ps.setString(9, e.correlationId());
        ps.setString(10, e.source());
        ps.setTimestamp(11, Timestamp.from(e.time()));
        ps.setString(12, e.data());
        ps.setString(13, prevHash);
        ps.setString(14, hash);
        ps.setString(15, e.topic());
        ps.setString(16, e.flagLabel());
        ps.addBatch();
        out.add(
            new Appended(
                new AuditRecord(
                    seq,
                    e.eventId().toString(),
                    e.type(),
                    e.aggregateType(),
                    e.aggregateId(),
                    e.aggregateSeq(),
                    e.actor(),
                    e.project(),
                    e.correlationId(),
                    e.time(),
                    data,
                    hash,
                    e.flagLabel()),
                e));
        prevHash = hash;
      }
      if (out.isEmpty()) {
        return out;
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE audit_chain_head SET seq = ?, hash = ? WHERE id = 1")) {
      ps.setLong(1, seq);
      ps.setString(2, prevHash);
      ps.executeUpdate();
    }
    return out;
  }

  private static Set<UUID> alreadyLogged(Connection c, List<Incoming> batch) throws SQLException {
    Set<UUID> found = new HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT event_id FROM audit_log WHERE event_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("uuid", batch.stream().map(Incoming::eventId).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return found;
  }

  /** {@code projects} empty means every project (the caller sees all). */
  public record Filter(
      String aggregateId,
      String type,
      String actor,
      Instant from,
      Instant to,
      long after,
      Set<String> projects,
      boolean allProjects) {}

  public List<AuditRecord> query(Connection c, Filter f, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(f.after());
    appendFilter(c, f, sql, args);
    sql.append(" ORDER BY seq LIMIT ").append(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<AuditRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** The WHERE clauses of a filter (after the seq bound), shared by queries and export. */
  public static void appendFilter(Connection c, Filter f, StringBuilder sql, List<Object> args)
      throws SQLException {
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
    if (!f.allProjects()) {
      sql.append(" AND project = ANY (?)");
      args.add(c.createArrayOf("text", f.projects().toArray()));
    }
  }

  /** One row of {@link #COLUMNS}. */
  public static AuditRecord read(ResultSet rs) throws SQLException {
    return new AuditRecord(
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
        rs.getString(12),
        rs.getString(13));
  }

  /** The newest {@code n} records a caller may see, newest first. */
  public List<AuditRecord> latest(Connection c, Set<String> projects, boolean all, int n)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM audit_log"
            + (all ? "" : " WHERE project = ANY (?)")
            + " ORDER BY seq DESC LIMIT "
            + n;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (!all) {
        ps.setArray(1, c.createArrayOf("text", projects.toArray()));
      }
      List<AuditRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    }
  }

  /** The newest seq of the log (0 when empty). */
  public long head(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT seq FROM audit_chain_head WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  public record Verification(boolean valid, long checked, Long firstBadSeq, String reason) {}

  /** Walks the whole chain in order, recomputing every hash. */
  public Verification verify(Connection c) throws SQLException {
    String expectedPrev = AuditHash.GENESIS;
    long expectedSeq = 1;
    long checked = 0;
    // read first: appends that commit during the walk are beyond it, not missing
    long head = head(c);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, event_id, type, aggregate_id, aggregate_seq, actor, project, occurred_at,"
                + " data::text, prev_hash, hash FROM audit_log WHERE seq <= ? ORDER BY seq")) {
      ps.setLong(1, head);
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
    // a deleted tail leaves no gap to find: the head remembers how far the chain went
    if (checked != head) {
      return new Verification(
          false, checked, checked + 1, "records after " + checked + " are missing");
    }
    return new Verification(true, checked, null, null);
  }
}
