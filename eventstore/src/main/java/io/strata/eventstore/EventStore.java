package io.strata.eventstore;

import io.strata.events.DomainEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Appends events with optimistic concurrency on {@code (aggregate_id, seq)}, in the same
 * transaction as the caller's read-model change and the outbox rows. Never publishes: the {@link
 * OutboxRelay} does, after commit, so an accepted command's events cannot be lost between the
 * database and Kafka.
 */
public final class EventStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final String source;
  private final Clock clock;
  private volatile Runnable afterCommit = () -> {};

  public EventStore(DataSource dataSource, String source, Clock clock) {
    this.dataSource = dataSource;
    this.source = source;
    this.clock = clock;
  }

  public EventStore(DataSource dataSource, String source) {
    this(dataSource, source, Clock.systemUTC());
  }

  /** Called after every commit that appended events (the relay's wake-up). */
  public void onCommit(Runnable afterCommit) {
    this.afterCommit = afterCommit;
  }

  /**
   * Runs {@code work} in one transaction: commits when it returns, rolls back when it throws.
   * Runtime exceptions pass through unchanged (a conflict stays a conflict).
   */
  public <T> T inTransaction(SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        afterCommit.run();
        return result;
      } catch (SQLException e) {
        c.rollback();
        throw new EventStoreException("transaction failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new EventStoreException("database unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * {@link #inTransaction} for work that Kafka brings again if PostgreSQL loses it: a projection's
   * poll. The commit does not wait for its write-ahead log to reach the disk, so projections no
   * longer queue their flushes in front of the commands' (ADR 18). The caller must hold its Kafka
   * offsets back until the flush has passed ({@link FlushedOffsets}): then a crash that loses the
   * commit replays its records, and {@code processed_events} makes the replay exact.
   */
  public <T> T inTransactionFlushedLater(SqlWork<T> work) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT set_config('synchronous_commit', 'off', true)")) {
            ps.execute();
          }
          return work.run(c);
        });
  }

  /** Where PostgreSQL's write-ahead log stands, in bytes: inserted up to, and on disk up to. */
  public record WalPosition(long inserted, long flushed) {}

  public WalPosition walPosition() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint,"
                    + " (pg_current_wal_flush_lsn() - '0/0')::bigint");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new WalPosition(rs.getLong(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new EventStoreException("database unavailable: " + e.getMessage(), e);
    }
  }

  /** Every event of the aggregate, in sequence order. */
  public List<EventEnvelope> load(Connection c, String aggregateId) throws SQLException {
    return loadAfter(c, aggregateId, 0, Integer.MAX_VALUE);
  }

  /** The sequence of the aggregate's newest event (0 when it has none). */
  public long lastSeq(Connection c, String aggregateId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT coalesce(max(seq), 0) FROM events WHERE aggregate_id = ?")) {
      ps.setString(1, aggregateId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A saved state of an aggregate as of {@code seq}, in the aggregate's own serialisation. */
  public record Snapshot(long seq, String state) {}

  /** An aggregate's newest snapshot, if any, and the events after it in sequence order. */
  public record Latest(Optional<Snapshot> snapshot, List<EventEnvelope> newer) {
    /** The sequence number the aggregate is at. */
    public long seq() {
      return snapshot.map(Snapshot::seq).orElse(0L) + newer.size();
    }
  }

  /** The snapshot and the events after it in one round trip: every command starts with this. */
  public Latest latest(Connection c, String aggregateId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 0 AS part, NULL::uuid AS event_id, NULL AS source, NULL::timestamptz AS"
                + " occurred_at, seq, NULL AS actor, NULL AS correlation_id, NULL AS project, NULL"
                + " AS type, state AS data FROM snapshots WHERE aggregate_id = ? UNION ALL SELECT"
                + " 1, event_id, source, occurred_at, seq, actor, correlation_id, project, type,"
                + " data FROM events WHERE aggregate_id = ? AND seq > coalesce((SELECT seq FROM"
                + " snapshots WHERE aggregate_id = ?), 0) ORDER BY part, seq")) {
      ps.setString(1, aggregateId);
      ps.setString(2, aggregateId);
      ps.setString(3, aggregateId);
      try (ResultSet rs = ps.executeQuery()) {
        Optional<Snapshot> snapshot = Optional.empty();
        List<EventEnvelope> newer = new ArrayList<>();
        while (rs.next()) {
          if (rs.getInt("part") == 0) {
            snapshot = Optional.of(new Snapshot(rs.getLong("seq"), rs.getString("data")));
          } else {
            newer.add(envelope(rs));
          }
        }
        return new Latest(snapshot, newer);
      }
    }
  }

  /** Replaces the aggregate's snapshot; part of the caller's transaction. */
  public void saveSnapshot(Connection c, String aggregateId, long seq, String state)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO snapshots (aggregate_id, seq, state) VALUES (?, ?, ?) ON CONFLICT"
                + " (aggregate_id) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state,"
                + " taken_at = now() WHERE snapshots.seq < EXCLUDED.seq")) {
      ps.setString(1, aggregateId);
      ps.setLong(2, seq);
      ps.setString(3, state);
      ps.executeUpdate();
    }
  }

  /**
   * At most {@code max} of the aggregate's events after {@code afterSeq}, in sequence order: what a
   * caller holding the aggregate's state as of {@code afterSeq} folds to be current (when it gets
   * {@code max}, there may be more).
   */
  public List<EventEnvelope> loadAfter(Connection c, String aggregateId, long afterSeq, int max)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT event_id, source, occurred_at, seq, actor, correlation_id, project, type, data"
                + " FROM events WHERE aggregate_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
      ps.setString(1, aggregateId);
      ps.setLong(2, afterSeq);
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        List<EventEnvelope> out = new ArrayList<>();
        while (rs.next()) {
          out.add(envelope(rs));
        }
        return out;
      }
    }
  }

  /**
   * For each aggregate of {@code after} (its id and the sequence its caller holds), at most {@code
   * max} of its events after that sequence, in sequence order, in one query: what a batch of
   * commands on aggregates whose states it keeps folds to be current.
   */
  public Map<String, List<EventEnvelope>> loadAfterAll(
      Connection c, Map<String, Long> after, int max) throws SQLException {
    Map<String, List<EventEnvelope>> out = new HashMap<>();
    if (after.isEmpty()) {
      return out;
    }
    List<String> ids = new ArrayList<>(after.keySet());
    try (PreparedStatement ps =
        c.prepareStatement(
            // LATERAL ... LIMIT: one index range per aggregate. A join with unnest let the
            // planner (which guesses 10 rows for it) hash-join a scan of the whole events table,
            // 15 ms per call at 67k events, which grew with the store
            "SELECT e.event_id, e.source, e.occurred_at, e.seq, e.actor, e.correlation_id,"
                + " e.project, e.type, e.data FROM unnest(?::text[], ?::bigint[]) AS k (id, after)"
                + " CROSS JOIN LATERAL (SELECT * FROM events x WHERE x.aggregate_id = k.id AND"
                + " x.seq > k.after ORDER BY x.seq LIMIT ?) e ORDER BY e.aggregate_id, e.seq")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      ps.setArray(2, c.createArrayOf("int8", ids.stream().map(after::get).toArray()));
      ps.setInt(3, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          EventEnvelope e = envelope(rs);
          out.computeIfAbsent(e.event().aggregateId(), k -> new ArrayList<>()).add(e);
        }
      }
    }
    return out;
  }

  /**
   * Appends {@code events} after {@code expectedSeq} (the number of events the caller's decision
   * was based on) and queues them in the outbox. A concurrent append of the same sequence fails
   * with {@link ConcurrencyConflictException}.
   */
  public List<EventEnvelope> append(
      Connection c,
      String aggregateId,
      long expectedSeq,
      List<? extends DomainEvent> events,
      CommandMetadata meta)
      throws SQLException {
    return appendAll(c, List.of(new Append(aggregateId, expectedSeq, events, meta))).getFirst();
  }

  /** Events of one aggregate to append after {@code expectedSeq}. */
  public record Append(
      String aggregateId,
      long expectedSeq,
      List<? extends DomainEvent> events,
      CommandMetadata meta) {}

  /**
   * Appends the events of several aggregates (or several decisions on one, in order) in one round
   * trip: a fleet batch decides hundreds of clusters, and waiting for the database once per cluster
   * was most of its time. Answers the envelopes of each append, in order. Any conflict fails the
   * whole call with {@link ConcurrencyConflictException}, naming the aggregate whose append
   * conflicted; the caller's transaction then rolls back.
   */
  public List<List<EventEnvelope>> appendAll(Connection c, List<Append> appends)
      throws SQLException {
    // PostgreSQL keeps microseconds: truncate so that what is stored is what is published
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<List<EventEnvelope>> out = new ArrayList<>(appends.size());
    List<String> data = new ArrayList<>();
    for (Append a : appends) {
      List<EventEnvelope> appended = new ArrayList<>(a.events().size());
      long seq = a.expectedSeq();
      for (DomainEvent event : a.events()) {
        if (!event.aggregateId().equals(a.aggregateId())) {
          throw new IllegalArgumentException(
              "event " + event.getClass().getSimpleName() + " belongs to " + event.aggregateId());
        }
        EventEnvelope e =
            new EventEnvelope(
                UUID.randomUUID(),
                source,
                now,
                ++seq,
                a.meta().actor(),
                a.meta().correlationId(),
                a.meta().project(),
                event);
        String json = EventJson.toJson(event);
        if (json.length() > KafkaSetup.MAX_EVENT_BYTES - 64 * 1024) {
          // refused before anything is written: an event Kafka cannot take would block the outbox
          throw new EventTooLargeException(
              e.type(), json.length(), KafkaSetup.MAX_EVENT_BYTES - 64 * 1024);
        }
        appended.add(e);
        data.add(json);
      }
      out.add(appended);
    }
    if (data.isEmpty()) {
      return out;
    }
    // one statement per event for the event and its outbox row: half the round trips
    try (PreparedStatement insert =
        c.prepareStatement(
            "WITH e AS (INSERT INTO events (event_id, aggregate_id, aggregate_type, seq, type,"
                + " source, actor, correlation_id, project, occurred_at, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING event_id)"
                + " INSERT INTO outbox (event_id, topic) SELECT event_id, ? FROM e")) {
      int i = 0;
      for (List<EventEnvelope> appended : out) {
        for (EventEnvelope e : appended) {
          insert.setObject(1, e.id());
          insert.setString(2, e.event().aggregateId());
          insert.setString(3, Topics.aggregateTypeOf(e.event()));
          insert.setLong(4, e.seq());
          insert.setString(5, e.type());
          insert.setString(6, e.source());
          insert.setString(7, e.actor());
          insert.setString(8, e.correlationId());
          insert.setString(9, e.project());
          insert.setTimestamp(10, Timestamp.from(e.time()));
          insert.setString(11, data.get(i++));
          insert.setString(12, e.topic());
          insert.addBatch();
        }
      }
      try {
        insert.executeBatch();
      } catch (SQLException e) {
        if (isSeqConflict(e)) {
          Append failed = conflicting(e, appends);
          throw new ConcurrencyConflictException(failed.aggregateId(), failed.expectedSeq());
        }
        throw e;
      }
    }
    return out;
  }

  /**
   * The append the server's duplicate-key error names ({@code Key (aggregate_id, seq)=(id, n)});
   * the first when the driver kept no detail.
   */
  private static Append conflicting(SQLException e, List<Append> appends) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String message = String.valueOf(s.getMessage());
      for (Append a : appends) {
        if (message.contains("(" + a.aggregateId() + ",")) {
          return a;
        }
      }
    }
    return appends.getFirst();
  }

  /** A batch failure wraps the server's error as the next exception. */
  private static boolean isSeqConflict(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (UNIQUE_VIOLATION.equals(s.getSQLState())
          && String.valueOf(s.getMessage()).contains("events_aggregate_seq")) {
        return true;
      }
    }
    return false;
  }

  static EventEnvelope envelope(ResultSet rs) throws SQLException {
    String type = rs.getString("type");
    return new EventEnvelope(
        rs.getObject("event_id", UUID.class),
        rs.getString("source"),
        rs.getTimestamp("occurred_at").toInstant(),
        rs.getLong("seq"),
        rs.getString("actor"),
        rs.getString("correlation_id"),
        rs.getString("project"),
        EventJson.fromBytes(
            type, rs.getString("data").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
