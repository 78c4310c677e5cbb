package io.strata.kit.security;

import io.strata.events.EventEnvelope;
import io.strata.events.Topics;
import io.strata.eventstore.EventConsumer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * This process's own reading of {@code strata.access.events}: every partition, from the beginning
 * (the topic is kept forever and holds only projects and keys), into the in-memory registry. No
 * consumer group: replicas of one service in a shared group each received some partitions, so a key
 * created or revoked through one replica stayed unknown, or valid, on the others until they
 * restarted. Replaying events the registry already has is harmless: it applies each aggregate's
 * events only forward ({@link AccessRegistry#applyInMemory}).
 */
final class AccessFeed implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AccessFeed.class);
  private final Properties kafka = new Properties();
  private final Consumer<EventEnvelope> apply;
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  AccessFeed(String bootstrapServers, String clientId, Consumer<EventEnvelope> apply) {
    this.apply = apply;
    kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    kafka.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    kafka.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    kafka.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Kafka's defaults (fetch.min.bytes 1, fetch.max.wait.ms 500): the broker answers a waiting
    // fetch as soon as an event arrives, so a revocation is not delayed, and an idle feed asks
    // twice a second
    kafka.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    kafka.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
  }

  synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name("access-feed").daemon().start(this::loop);
  }

  /** True once the feed has read what the topic held when it started: the registry is complete. */
  boolean caughtUp() {
    return caughtUp;
  }

  boolean isRunning() {
    return running && thread != null && thread.isAlive();
  }

  private void loop() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka)) {
        consumer = c;
        List<TopicPartition> partitions =
            c.partitionsFor(Topics.ACCESS_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        if (partitions.isEmpty()) {
          // not created yet (the service creates its topics at start too): an empty assignment
          // would count as caught up and never read anything
          throw new IllegalStateException(Topics.ACCESS_EVENTS + " has no partitions yet");
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions));
        while (running) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
            try {
              apply.accept(EventConsumer.decode(r));
            } catch (RuntimeException e) {
              // the service's event consumers dead-letter it; here it is only skipped
              LOG.warnf(
                  "access feed: skipped %s-%d@%d: %s",
                  r.topic(), r.partition(), r.offset(), e.getMessage());
            }
          }
          if (!caughtUp) {
            end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
            caughtUp = end.isEmpty();
          }
        }
      } catch (WakeupException e) {
        // close() asked us to stop
      } catch (RuntimeException e) {
        if (running) {
          LOG.warnf("access feed: %s; reading the topic again", e.getMessage());
          try {
            Thread.sleep(1000);
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

  @Override
  public synchronized void close() {
    running = false;
    EventConsumer.stopPolling(consumer, thread);
    thread = null;
  }
}
