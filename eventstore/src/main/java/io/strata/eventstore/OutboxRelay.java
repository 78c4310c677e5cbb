package io.strata.eventstore;

import io.cloudevents.CloudEvent;
import io.strata.events.CloudEventCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka in outbox order (which is sequence order per aggregate), woken
 * right after each commit and by a sweep as a fallback. One relay per service holds a PostgreSQL
 * advisory lock while it publishes, so two instances never reorder an aggregate's events; when it
 * dies its session ends and another instance takes over. Delivery is at-least-once (a crash after
 * Kafka acknowledged but before the row is deleted re-publishes it); consumers dedupe by event id.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  /**
   * @param busyPace while rows keep coming, passes are at least this far apart, so that a pass
   *     carries the events of many commits (one query, one flush, one delete) instead of one; the
   *     first event after a quiet spell is published at once (50 ms: ADR 21; 25 ms in ADR 17)
   */
  public record Settings(int batchSize, Duration sweepInterval, Duration busyPace, long lockKey) {
    public static Settings defaults(String service) {
      return new Settings(
          500,
          Duration.ofMillis(500),
          Duration.ofMillis(50),
          ("strata-outbox:" + service).hashCode());
    }
  }

  private final DataSource dataSource;
  private final Producer<String, CloudEvent> producer;
  private final Settings settings;
  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean running;
  private volatile boolean leader;
  private volatile java.time.Instant failingSince;
  private volatile String lastError = "";
  private Thread thread;

  public OutboxRelay(
      DataSource dataSource, Producer<String, CloudEvent> producer, Settings settings) {
    this.dataSource = dataSource;
    this.producer = producer;
    this.settings = settings;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
  }

  /** Publish soon: called after a commit that appended events. */
  public void nudge() {
    if (wakeUp.availablePermits() == 0) {
      wakeUp.release();
    }
  }

  public boolean isLeader() {
    return leader;
  }

  public boolean isRunning() {
    return running;
  }

  /** When publishing started to fail without a success since, if it is failing. */
  public java.util.Optional<java.time.Instant> failingSince() {
    return java.util.Optional.ofNullable(failingSince);
  }

  public String lastError() {
    return lastError;
  }

  private void loop() {
    while (running) {
      try (Connection lockSession = dataSource.getConnection()) {
        lockSession.setAutoCommit(true);
        if (!tryLock(lockSession)) {
          leader = false;
          wakeUp.tryAcquire(settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
          continue;
        }
        leader = true;
        while (running) {
          long passStarted = System.nanoTime();
          int published = publishBatch(lockSession);
          failingSince = null;
          if (published < settings.batchSize()) {
            wakeUp.tryAcquire(settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (published > 0) {
              long wait = settings.busyPace().toNanos() - (System.nanoTime() - passStarted);
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
            }
            wakeUp.drainPermits();
          }
        }
        unlock(lockSession);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        leader = false;
        if (running) {
          if (failingSince == null) {
            failingSince = java.time.Instant.now();
          }
          lastError = String.valueOf(e.getMessage());
          LOG.errorf(
              "outbox relay cannot publish (failing since %s): %s; retrying in %s",
              failingSince, e.getMessage(), settings.sweepInterval());
          sleepQuietly(settings.sweepInterval());
        }
      }
    }
    leader = false;
  }

  /** One pass: publish up to a batch of pending rows and delete those Kafka acknowledged. */
  public int publishPending() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return publishBatch(c);
    }
  }

  private int publishBatch(Connection c) throws Exception {
    List<Long> ids = new ArrayList<>();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT o.id, o.topic, e.event_id, e.source, e.occurred_at, e.seq, e.actor,"
                + " e.correlation_id, e.project, e.type, e.data, e.aggregate_id"
                + " FROM outbox o JOIN events e ON e.event_id = o.event_id"
                + " ORDER BY o.id LIMIT ?")) {
      ps.setInt(1, settings.batchSize());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String subject = rs.getString("aggregate_id");
          CloudEvent ce =
              CloudEventCodec.toCloudEvent(
                  rs.getObject("event_id", java.util.UUID.class),
                  rs.getString("source"),
                  rs.getString("type"),
                  subject,
                  rs.getTimestamp("occurred_at").toInstant(),
                  rs.getLong("seq"),
                  rs.getString("actor"),
                  rs.getString("correlation_id"),
                  rs.getString("project"),
                  rs.getString("data").getBytes(StandardCharsets.UTF_8));
          ids.add(rs.getLong("id"));
          acks.add(producer.send(new ProducerRecord<>(rs.getString("topic"), subject, ce)));
        }
      }
    }
    if (ids.isEmpty()) {
      return 0;
    }
    producer.flush();
    for (Future<RecordMetadata> ack : acks) {
      ack.get(30, TimeUnit.SECONDS); // a failure leaves every row of the batch for the next pass
    }
    // Kafka has the rows: the delete's commit need not wait for the disk. Should a crash lose it,
    // the rows are published again and consumers skip them by event id (ADR 18). set_config in
    // the statement applies to this autocommit statement's own commit only.
    try (PreparedStatement del =
        c.prepareStatement(
            "DELETE FROM outbox WHERE id = ANY (?)"
                + " AND set_config('synchronous_commit', 'off', true) = 'off'")) {
      del.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      del.executeUpdate();
    }
    return ids.size();
  }

  private boolean tryLock(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, settings.lockKey());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private void unlock(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      ps.setLong(1, settings.lockKey());
      ps.execute();
    } catch (SQLException e) {
      // the session closes next, which releases the lock as well
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops publishing; rows not yet acknowledged stay in the outbox for the next start. */
  @Override
  public synchronized void close() {
    running = false;
    nudge();
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }
}
