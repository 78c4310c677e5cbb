package io.strata.kit.health;

import io.strata.kit.events.EventStoreLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the outbox relay runs (or is deliberately disabled) and is not stuck. */
@Readiness
@ApplicationScoped
public class OutboxRelayHealth implements HealthCheck {
  private final EventStoreLifecycle lifecycle;

  OutboxRelayHealth(EventStoreLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public HealthCheckResponse call() {
    var stuck = lifecycle.relayStuck(java.time.Duration.ofSeconds(30));
    var b =
        HealthCheckResponse.named("outbox-relay")
            .status((!lifecycle.relayEnabled() || lifecycle.relayRunning()) && stuck.isEmpty())
            .withData("enabled", lifecycle.relayEnabled());
    stuck.ifPresent(s -> b.withData("stuck", s));
    return b.build();
  }
}
