package io.strata.audit.ingest;

import io.strata.audit.log.AuditRecord;
import io.strata.eventstore.EventStoreException;
import io.strata.eventstore.FlushedOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Follows every event topic from offset 0 into the log and projections, one transaction per poll.
 * Not the shared {@code EventConsumer}: that one dead-letters what it cannot decode and commits a
 * transaction per event; the audit log must keep every record and ingest thousands per second.
 * Offsets are committed once the transaction is on disk ({@link FlushedOffsets}); a crash before
 * that replays the batch, which the log skips by event id.
 */
public final class AuditIngest implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AuditIngest.class);
  private final Collection<String> topics;
  private final Properties kafka = new Properties();
  private final IngestWriter writer;
  private final Consumer<List<AuditRecord>> afterCommit;
  private final AtomicLong appended = new AtomicLong();
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public AuditIngest(
      String group,
      String bootstrapServers,
      Collection<String> topics,
      IngestWriter writer,
      Consumer<List<AuditRecord>> afterCommit) {
    this.topics = List.copyOf(topics);
    this.writer = writer;
    this.afterCommit = afterCommit;
    kafka.putAll(
        io.strata.eventstore.EventConsumer.consumerProperties(bootstrapServers, group, 2000));
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = io.strata.eventstore.EventConsumer.consumerThread("audit-ingest").start(this::loop);
  }

  public boolean isRunning() {
    return running && thread != null && thread.isAlive();
  }

  /** Records appended to the log since start. */
  public long appendedCount() {
    return appended.get();
  }

  private void loop() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka)) {
        consumer = c;
        c.subscribe(topics);
        FlushedOffsets offsets = new FlushedOffsets(writer.store());
        while (running) {
          ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
          if (records.isEmpty()) {
            commit(c, offsets.durable(Map.of()));
            continue;
          }
          List<List<Incoming>> partitions = new ArrayList<>();
          Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
          Map<TopicPartition, Long> first = new HashMap<>();
          for (TopicPartition tp : records.partitions()) {
            List<Incoming> inPartition = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
              inPartition.add(Decoder.decode(r));
              first.putIfAbsent(tp, r.offset());
              done.put(tp, new OffsetAndMetadata(r.offset() + 1));
            }
            partitions.add(inPartition);
          }
          List<Incoming> batch = Interleave.byTime(partitions);
          List<AuditRecord> written;
          try {
            written = writer.write(batch);
          } catch (EventStoreException e) {
            LOG.warnf("audit ingest: database unavailable (%s); retrying", e.getMessage());
            first.forEach(c::seek);
            TimeUnit.SECONDS.sleep(1);
            continue;
          }
          commit(c, offsets.durable(done));
          appended.addAndGet(written.size());
          if (!written.isEmpty()) {
            try {
              afterCommit.accept(written);
            } catch (RuntimeException e) {
              LOG.warnf("audit ingest: live feed failed: %s", e.toString());
            }
          }
        }
      } catch (WakeupException e) {
        // close() asked us to stop
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (running) {
          LOG.warnf("audit ingest: %s; reconnecting", e.toString());
          try {
            TimeUnit.SECONDS.sleep(1);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      } finally {
        consumer = null;
      }
    }
  }

  private static void commit(
      KafkaConsumer<String, byte[]> c, Map<TopicPartition, OffsetAndMetadata> durable) {
    if (!durable.isEmpty()) {
      c.commitSync(durable);
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    io.strata.eventstore.EventConsumer.stopPolling(consumer, thread);
    thread = null;
  }
}
