package io.strata.eventstore;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.strata.events.CloudEventCodec;
import io.strata.events.EventEnvelope;
import io.strata.events.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Feeds one or more event topics into a {@link Projection}, exactly once in effect: each event id
 * is recorded in {@code processed_events} in the same transaction as the projection change, so a
 * redelivery changes nothing. An event that cannot be decoded or applied goes to the topic's
 * dead-letter topic with the reason, and the stream goes on; database trouble is retried.
 */
public final class EventConsumer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class);
  public static final String DLQ_REASON = "strata.dlq.reason";
  public static final String DLQ_CONSUMER = "strata.dlq.consumer";
  public static final String DLQ_ORIGIN = "strata.dlq.origin";
  static final int FETCH_MIN_BYTES = 64 * 1024;
  static final int FETCH_MAX_WAIT_MS = 100;

  private final String name;
  private final Collection<String> topics;
  private final Properties kafka;
  private final EventStore store;
  private final Projection projection;
  private Producer<String, byte[]> deadLetters;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  /**
   * @param name the consumer group, and the key under which processed events are recorded
   */
  public EventConsumer(
      String name,
      Collection<String> topics,
      String bootstrapServers,
      EventStore store,
      Projection projection) {
    this.name = name;
    this.topics = List.copyOf(topics);
    this.store = store;
    this.projection = projection;
    this.kafka = consumerProperties(bootstrapServers, name, 500);
  }

  /**
   * How every Strata consumer reads: manual commits after its transaction, from the beginning, only
   * committed records, and a short session, so that when a replica dies its partitions go to
   * another (or to the restarted service) after 10 s rather than Kafka's default 45 s.
   */
  public static Properties consumerProperties(String bootstrapServers, String group, int maxPoll) {
    Properties kafka = new Properties();
    kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    kafka.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    kafka.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    kafka.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    kafka.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPoll));
    // the broker answers a fetch once 64 KiB are there or 100 ms have passed: a poll brings a
    // batch (one transaction, one offset commit) rather than a few events each, which is what
    // lets four services share two cores; an idle stream pays at most 100 ms per hop (ADR 17)
    kafka.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, String.valueOf(FETCH_MIN_BYTES));
    kafka.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(FETCH_MAX_WAIT_MS));
    kafka.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    kafka.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
    kafka.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    kafka.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return kafka;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = consumerThread("consumer-" + name).start(this::loop);
  }

  /**
   * A thread that feeds a projection: a daemon at the lowest priority. Projections are
   * asynchronous; when they share cores with the threads that answer requests, they should get the
   * cores second (with {@code -XX:ThreadPriorityPolicy=1}, which {@code ./strata} sets, Linux runs
   * them at nice 4; without it the priority is ignored). See ADR 17.
   */
  public static Thread.Builder.OfPlatform consumerThread(String name) {
    return Thread.ofPlatform().name(name).daemon().priority(Thread.MIN_PRIORITY);
  }

  public boolean isRunning() {
    return running && thread != null && thread.isAlive();
  }

  public long appliedCount() {
    return applied.get();
  }

  public long deadLetteredCount() {
    return deadLettered.get();
  }

  private void loop() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka)) {
        consumer = c;
        c.subscribe(topics);
        FlushedOffsets offsets = new FlushedOffsets(store);
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
          Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
          boolean retry = false;
          Batch batch = applyAll(records);
          if (batch == Batch.APPLIED) {
            for (TopicPartition tp : records.partitions()) {
              List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
              done.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
            }
          } else if (batch == Batch.DATABASE_DOWN) {
            for (TopicPartition tp : records.partitions()) {
              c.seek(tp, records.records(tp).get(0).offset());
            }
            retry = true;
          } else {
            // something in the poll does not decode or apply: one record at a time finds it
            for (TopicPartition tp : records.partitions()) {
              for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                if (!handle(r)) {
                  // database trouble: keep what is done, come back to this record shortly
                  c.seek(tp, r.offset());
                  retry = true;
                  break;
                }
                done.put(tp, new OffsetAndMetadata(r.offset() + 1));
              }
            }
          }
          // at most one offset commit per poll, once PostgreSQL has flushed what it covers:
          // processed_events makes a replay after a crash harmless
          Map<TopicPartition, OffsetAndMetadata> durable = offsets.durable(done);
          if (!durable.isEmpty()) {
            c.commitSync(durable);
          }
          if (retry) {
            TimeUnit.SECONDS.sleep(1);
          }
        }
      } catch (WakeupException e) {
        // close() asked us to stop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          LOG.warnf("consumer %s: %s; reconnecting", name, e.getMessage());
          sleepQuietly();
        }
      } finally {
        consumer = null;
      }
    }
  }

  private enum Batch {
    APPLIED,
    DATABASE_DOWN,
    ONE_BY_ONE
  }

  /**
   * A whole poll in one transaction: one commit for hundreds of events instead of one each, which
   * is what lets a consumer keep up with a fleet-wide operation. Any record that does not decode or
   * apply sends the poll back to one record at a time (which dead-letters just that one).
   */
  private Batch applyAll(ConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return Batch.APPLIED;
    }
    List<EventEnvelope> events = new java.util.ArrayList<>(records.count());
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
        try {
          events.add(decode(r));
        } catch (RuntimeException e) {
          return Batch.ONE_BY_ONE;
        }
      }
    }
    List<EventEnvelope> fresh;
    try {
      fresh =
          store.inTransactionFlushedLater(
              c -> {
                java.util.Set<UUID> unseen = markProcessed(c, events);
                List<EventEnvelope> appliedNow = new java.util.ArrayList<>();
                for (EventEnvelope event : events) {
                  // remove: an event delivered twice within one poll is applied once
                  if (unseen.remove(event.id())) {
                    appliedNow.add(event);
                  }
                }
                projection.applyAll(c, appliedNow);
                return appliedNow;
              });
    } catch (RuntimeException e) {
      if (e instanceof EventStoreException db && db.isTransientFailure()) {
        LOG.warnf("consumer %s: database unavailable: %s", name, e.getMessage());
        return Batch.DATABASE_DOWN;
      }
      return Batch.ONE_BY_ONE;
    }
    this.applied.addAndGet(fresh.size());
    fresh.forEach(projection::afterCommit);
    return Batch.APPLIED;
  }

  /**
   * @return false when the record must be retried (the database is unavailable)
   */
  private boolean handle(ConsumerRecord<String, byte[]> r) {
    EventEnvelope event;
    try {
      event = decode(r);
    } catch (RuntimeException e) {
      deadLetter(r, "cannot decode: " + e.getMessage());
      return true;
    }
    try {
      boolean fresh =
          store.inTransaction(
              c -> {
                if (markProcessed(c, name, event.id(), "applied")) {
                  projection.apply(c, event);
                  applied.incrementAndGet();
                  return true;
                }
                return false;
              });
      if (fresh) {
        projection.afterCommit(event);
      }
      return true;
    } catch (RuntimeException e) {
      if (e instanceof EventStoreException db && db.isTransientFailure()) {
        LOG.warnf("consumer %s: database unavailable at %s: %s", name, event.id(), e.getMessage());
        return false;
      }
      deadLetter(r, "cannot apply " + event.type() + ": " + e);
      try {
        store.inTransaction(c -> markProcessed(c, name, event.id(), "dead-lettered"));
      } catch (RuntimeException ignored) {
        // redelivery will dead-letter it again; harmless
      }
      return true;
    }
  }

  /**
   * Ends a poll loop from another thread: wakes its consumer out of {@code poll} (the loop sees
   * {@code WakeupException} and its own stop flag) and waits up to 10 s for the thread. For every
   * loop shaped like this class's: the audit ingest and the access feed too.
   */
  public static void stopPolling(KafkaConsumer<?, ?> consumer, Thread thread) {
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The event a record carries (a binary-mode CloudEvent).
   *
   * @throws RuntimeException when the record is not one of our events
   */
  public static EventEnvelope decode(ConsumerRecord<String, byte[]> r) {
    CloudEvent ce;
    try (CloudEventDeserializer de = new CloudEventDeserializer()) {
      ce = de.deserialize(r.topic(), r.headers(), r.value());
    }
    return CloudEventCodec.fromCloudEvent(ce);
  }

  /** Records a poll's events as applied in one statement; answers those not seen before. */
  private java.util.Set<UUID> markProcessed(Connection c, List<EventEnvelope> events)
      throws SQLException {
    java.util.Set<UUID> unseen = new java.util.HashSet<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO processed_events (consumer, event_id, outcome) SELECT ?, id, 'applied'"
                + " FROM unnest(?::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id")) {
      ps.setString(1, name);
      ps.setArray(2, c.createArrayOf("uuid", events.stream().map(EventEnvelope::id).toArray()));
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          unseen.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return unseen;
  }

  /**
   * Records in the caller's transaction that {@code consumer} has dealt with an event, so that it
   * skips the event when Kafka brings it: for a write path that applies its own events to its
   * service's projection at once. Answers whether the event was new to that consumer.
   */
  public static boolean markProcessed(Connection c, String consumer, UUID eventId, String outcome)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO processed_events (consumer, event_id, outcome) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      ps.setString(1, consumer);
      ps.setObject(2, eventId);
      ps.setString(3, outcome);
      return ps.executeUpdate() == 1;
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
    deadLettered.incrementAndGet();
    LOG.warnf(
        "consumer %s: dead-lettering %s-%d@%d: %s",
        name, r.topic(), r.partition(), r.offset(), reason);
    RecordHeaders headers = new RecordHeaders(r.headers().toArray());
    headers.add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(DLQ_CONSUMER, name.getBytes(StandardCharsets.UTF_8));
    headers.add(
        DLQ_ORIGIN,
        (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
    try {
      // raw bytes and original headers: the record may not even be a CloudEvent
      deadLetters()
          .send(
              new ProducerRecord<>(
                  Topics.deadLetterOf(r.topic()), null, r.key(), r.value(), headers))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("dead-letter topic unavailable: " + e.getMessage(), e);
    }
  }

  private synchronized Producer<String, byte[]> deadLetters() {
    if (deadLetters == null) {
      Properties p = new Properties();
      p.put(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          kafka.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(KafkaSetup.MAX_EVENT_BYTES));
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      deadLetters = new KafkaProducer<>(p);
    }
    return deadLetters;
  }

  private static void sleepQuietly() {
    try {
      TimeUnit.SECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    stopPolling(consumer, thread);
    thread = null;
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(5));
      deadLetters = null;
    }
  }
}
