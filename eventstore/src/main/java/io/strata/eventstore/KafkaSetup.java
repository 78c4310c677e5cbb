package io.strata.eventstore;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.strata.events.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients every service uses, configured once. */
public final class KafkaSetup {
  /**
   * The largest event Strata publishes: above every request body limit of the services (a whole
   * profile version travels in one event), so that nothing a service accepted is too large for
   * Kafka. Producers, topics and the brokers we run are all configured with it.
   */
  public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private KafkaSetup() {}

  /** Idempotent, {@code acks=all}, CloudEvents in binary mode, keyed by aggregate id. */
  public static Producer<String, CloudEvent> eventProducer(
      String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_EVENT_BYTES));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  /** Topics created before the limit existed get it too (idempotent). */
  private static void raiseMessageLimit(Admin admin, String topic)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    var op =
        new org.apache.kafka.clients.admin.AlterConfigOp(
            new org.apache.kafka.clients.admin.ConfigEntry(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_EVENT_BYTES + 1024)),
            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
  }

  /**
   * Creates the event topics (retention forever: they are the system of record) and their
   * dead-letter topics where missing. Existing topics are left as they are.
   */
  public static void ensureTopics(
      String bootstrapServers, Collection<String> topics, int partitions)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        for (String name : List.of(topic, Topics.deadLetterOf(topic))) {
          if (!existing.contains(name)) {
            missing.add(
                new NewTopic(name, partitions, (short) 1)
                    .configs(
                        Map.of(
                            TopicConfig.RETENTION_MS_CONFIG,
                            "-1",
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            String.valueOf(MAX_EVENT_BYTES + 1024))));
          } else {
            raiseMessageLimit(admin, name);
          }
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(
            "Kafka did not answer within 30 s at " + bootstrapServers, e);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka unavailable at " + bootstrapServers, e);
    }
  }
}
