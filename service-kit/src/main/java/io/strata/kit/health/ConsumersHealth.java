package io.strata.kit.health;

import io.strata.eventstore.EventConsumer;
import io.strata.kit.events.ProjectionConsumers;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while every projection consumer runs; reports what each applied. */
@Readiness
@ApplicationScoped
public class ConsumersHealth implements HealthCheck {
  private final ProjectionConsumers consumers;

  ConsumersHealth(ProjectionConsumers consumers) {
    this.consumers = consumers;
  }

  @Override
  public HealthCheckResponse call() {
    var b = HealthCheckResponse.named("event-consumers").up();
    for (EventConsumer c : consumers.all()) {
      b.withData(c.toString() + ".applied", c.appliedCount());
      if (!c.isRunning()) {
        b.down();
      }
    }
    return b.build();
  }
}
