package io.strata.kit.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.strata.events.Topics;
import io.strata.kit.events.ProjectionConsumers;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.List;

/**
 * At start: refuse to run in production without a way to authenticate anyone, load the known
 * projects and keys, and follow {@code strata.access.events}.
 */
@Singleton
public class AccessLifecycle {
  void start(
      @Observes StartupEvent ignored,
      LaunchMode mode,
      BootstrapKey bootstrap,
      JwtVerifier jwt,
      AccessRegistry registry,
      ProjectionConsumers consumers)
      throws SQLException {
    if (mode == LaunchMode.NORMAL && !bootstrap.configured() && !jwt.enabled()) {
      throw new IllegalStateException(
          "refusing to start: no way to authenticate anyone. Configure an OIDC/JWT issuer"
              + " (STRATA_AUTH_JWT_ISSUER and STRATA_AUTH_JWT_PUBLIC_KEY_LOCATION) or a bootstrap"
              + " admin key file (STRATA_AUTH_BOOTSTRAP_KEY_FILE)");
    }
    registry.load();
    consumers.start(registry.consumer(), List.of(Topics.ACCESS_EVENTS), registry::apply);
  }
}
