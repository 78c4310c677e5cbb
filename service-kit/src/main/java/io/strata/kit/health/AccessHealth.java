package io.strata.kit.health;

import io.strata.kit.security.AccessRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once this process has read the access topic: until then it refuses every API key. */
@Readiness
@ApplicationScoped
public class AccessHealth implements HealthCheck {
  private final AccessRegistry registry;

  AccessHealth(AccessRegistry registry) {
    this.registry = registry;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("access-registry").status(registry.complete()).build();
  }
}
