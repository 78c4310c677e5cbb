package io.strata.kit.events;

import io.strata.eventstore.EventConsumer;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.Projection;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Starts the service's consumers and keeps them for health checks and shutdown. */
@Singleton
public class ProjectionConsumers {
  private final EventStore store;
  private final EventStoreLifecycle lifecycle;
  private final List<EventConsumer> consumers = new ArrayList<>();

  ProjectionConsumers(EventStore store, EventStoreLifecycle lifecycle) {
    this.store = store;
    this.lifecycle = lifecycle;
  }

  public synchronized EventConsumer start(
      String name, Collection<String> topics, Projection projection) {
    EventConsumer c =
        new EventConsumer(name, topics, lifecycle.bootstrapServers(), store, projection);
    consumers.add(c);
    c.start();
    return c;
  }

  public synchronized List<EventConsumer> all() {
    return List.copyOf(consumers);
  }

  @jakarta.annotation.PreDestroy
  synchronized void stop() {
    consumers.forEach(EventConsumer::close);
    consumers.clear();
  }
}
