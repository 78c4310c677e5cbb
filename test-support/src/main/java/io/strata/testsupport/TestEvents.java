package io.strata.testsupport;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.strata.events.CloudEventCodec;
import io.strata.events.DomainEvent;
import io.strata.events.EventEnvelope;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events to the real broker as another service would: how a test plays profile-service or
 * the reconciler for the service under test.
 */
public final class TestEvents {
  private static KafkaProducer<String, CloudEvent> producer;

  private TestEvents() {}

  public static synchronized void publish(DomainEvent event, String project) {
    publish(event, project, 1);
  }

  /** As its aggregate's {@code seq}-th event (consumers that apply only forward look at it). */
  public static synchronized void publish(DomainEvent event, String project, long seq) {
    EventEnvelope e =
        new EventEnvelope(
            UUID.randomUUID(),
            "/strata/test",
            Instant.now().truncatedTo(ChronoUnit.MICROS),
            seq,
            "test",
            "",
            project,
            event);
    try {
      producer()
          .send(new ProducerRecord<>(e.topic(), e.subject(), CloudEventCodec.toCloudEvent(e)))
          .get();
    } catch (Exception ex) {
      throw new IllegalStateException("cannot publish " + event, ex);
    }
  }

  private static KafkaProducer<String, CloudEvent> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealKafka.bootstrapServers());
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class.getName());
      producer = new KafkaProducer<>(p);
    }
    return producer;
  }
}
