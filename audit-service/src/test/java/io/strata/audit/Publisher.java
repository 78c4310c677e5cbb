package io.strata.audit;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.strata.events.CloudEventCodec;
import io.strata.events.DomainEvent;
import io.strata.events.EventEnvelope;
import io.strata.testsupport.RealKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes to the real broker as the other services do, with the actor, project and time a test
 * needs (TestEvents fixes them); and raw records, as a newer or broken producer would.
 */
public final class Publisher {
  private static KafkaProducer<String, CloudEvent> events;
  private static KafkaProducer<String, byte[]> raw;

  private Publisher() {}

  public static synchronized EventEnvelope publish(
      DomainEvent event, String actor, String project, Instant time) {
    EventEnvelope e =
        new EventEnvelope(UUID.randomUUID(), "/strata/test", time, 1, actor, "it", project, event);
    send(e.topic(), e.subject(), CloudEventCodec.toCloudEvent(e));
    return e;
  }

  /** A CloudEvent of any type with any data. */
  public static synchronized UUID publishRaw(
      String topic, String type, String subject, String project, String data) {
    UUID id = UUID.randomUUID();
    send(
        topic,
        subject,
        CloudEventCodec.toCloudEvent(
            id,
            "/strata/future",
            type,
            subject,
            Instant.now(),
            1,
            "future-bot",
            "",
            project,
            data.getBytes(StandardCharsets.UTF_8)));
    return id;
  }

  /** Bytes without CloudEvent headers. */
  public static synchronized void publishBytes(String topic, String key, byte[] value) {
    if (raw == null) {
      Properties p = props();
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      raw = new KafkaProducer<>(p);
    }
    try {
      raw.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  private static void send(String topic, String key, CloudEvent ce) {
    if (events == null) {
      Properties p = props();
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
      events = new KafkaProducer<>(p);
    }
    try {
      events.send(new ProducerRecord<>(topic, key, ce)).get();
    } catch (Exception ex) {
      throw new IllegalStateException("cannot publish " + ce.getType(), ex);
    }
  }

  private static Properties props() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }
}
