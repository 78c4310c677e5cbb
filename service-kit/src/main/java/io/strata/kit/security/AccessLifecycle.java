package io.strata.kit.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.strata.kit.events.EventStoreLifecycle;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * At start: refuse to run in production without a way to authenticate anyone, then read {@code
 * strata.access.events} into the registry and keep following it.
 */
@Singleton
public class AccessLifecycle {
  void start(
      @Observes StartupEvent ignored,
      LaunchMode mode,
      BootstrapKey bootstrap,
      JwtVerifier jwt,
      AccessRegistry registry,
      EventStoreLifecycle events)
      throws InterruptedException {
    if (mode == LaunchMode.NORMAL && !bootstrap.configured() && !jwt.enabled()) {
      throw new IllegalStateException(
          "refusing to start: no way to authenticate anyone. Configure an OIDC/JWT issuer"
              + " (STRATA_AUTH_JWT_ISSUER and STRATA_AUTH_JWT_PUBLIC_KEY_LOCATION) or a bootstrap"
              + " admin key file (STRATA_AUTH_BOOTSTRAP_KEY_FILE)");
    }
    registry.follow(events.bootstrapServers(), Duration.ofSeconds(30));
  }
}
