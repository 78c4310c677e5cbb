package io.strata.kit.events;

import io.agroal.api.AgroalDataSource;
import io.cloudevents.CloudEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.events.Topics;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.KafkaSetup;
import io.strata.eventstore.OutboxRelay;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the event store to the service's datasource and Kafka, and runs the outbox relay for the
 * life of the service. Topics are created when missing (off in production, where Strimzi owns
 * them).
 */
@Singleton
public class EventStoreLifecycle {
  private static final Logger LOG = Logger.getLogger(EventStoreLifecycle.class);

  @ConfigProperty(name = "strata.service.name")
  String service;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "strata.outbox.relay.enabled", defaultValue = "true")
  boolean relayEnabled;

  @ConfigProperty(name = "strata.outbox.sweep-interval", defaultValue = "PT0.5S")
  Duration sweepInterval;

  @ConfigProperty(name = "strata.kafka.create-topics", defaultValue = "true")
  boolean createTopics;

  @ConfigProperty(name = "strata.kafka.partitions", defaultValue = "12")
  int partitions;

  private final AgroalDataSource dataSource;
  private EventStore store;
  private Producer<String, CloudEvent> producer;
  private OutboxRelay relay;

  EventStoreLifecycle(AgroalDataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Produces
  @Singleton
  EventStore eventStore() {
    return store();
  }

  synchronized EventStore store() {
    if (store == null) {
      store = new EventStore(dataSource, "/strata/" + service);
    }
    return store;
  }

  void start(@Observes StartupEvent ignored) throws InterruptedException {
    if (createTopics) {
      KafkaSetup.ensureTopics(bootstrapServers, Topics.ALL, partitions);
    }
    producer = KafkaSetup.eventProducer(bootstrapServers, service);
    relay =
        new OutboxRelay(
            dataSource,
            producer,
            new OutboxRelay.Settings(
                500,
                sweepInterval,
                OutboxRelay.Settings.defaults(service).busyPace(),
                OutboxRelay.Settings.defaults(service).lockKey()));
    store().onCommit(relay::nudge);
    if (relayEnabled) {
      relay.start();
    } else {
      LOG.warn("outbox relay disabled (strata.outbox.relay.enabled=false): events stay queued");
    }
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (relay != null) {
      relay.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  public boolean relayEnabled() {
    return relayEnabled;
  }

  public boolean relayRunning() {
    return relay != null && relay.isRunning();
  }

  /** Publishing has failed for longer than {@code grace}: accepted events are not leaving. */
  public java.util.Optional<String> relayStuck(Duration grace) {
    if (relay == null) {
      return java.util.Optional.empty();
    }
    return relay
        .failingSince()
        .filter(since -> since.plus(grace).isBefore(java.time.Instant.now()))
        .map(since -> "failing since " + since + ": " + relay.lastError());
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }
}
