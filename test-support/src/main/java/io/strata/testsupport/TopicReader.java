package io.strata.testsupport;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning the way any Kafka client would, for assertions in tests. */
public final class TopicReader {
  private TopicReader() {}

  /** Waits (up to 20 s) until {@code atLeast} records match, and returns every match seen. */
  public static List<ConsumerRecord<String, String>> read(
      String bootstrap,
      String topic,
      Predicate<ConsumerRecord<String, String>> match,
      int atLeast) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (match.test(r)) {
                            out.add(r);
                          }
                        });
                return out.size() >= atLeast;
              });
    }
    return out;
  }

  public static List<ConsumerRecord<String, String>> byKey(
      String bootstrap, String topic, String key, int atLeast) {
    return read(bootstrap, topic, r -> key.equals(r.key()), atLeast);
  }

  public static String header(ConsumerRecord<?, ?> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
