package io.strata.kit.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * A credential checked the one way, wherever it comes from (the API's bearer header, the
 * dashboard's sign-in): the bootstrap key, then an API key by its prefix, else a JWT.
 */
@ApplicationScoped
public class Credentials {
  private final AccessRegistry registry;
  private final BootstrapKey bootstrap;
  private final JwtVerifier jwt;

  Credentials(AccessRegistry registry, BootstrapKey bootstrap, JwtVerifier jwt) {
    this.registry = registry;
    this.bootstrap = bootstrap;
    this.jwt = jwt;
  }

  /** Who {@code token} stands for, or why it is refused. */
  public AccessRegistry.Authentication authenticate(String token) {
    Optional<Caller> boot = bootstrap.authenticate(token);
    if (boot.isPresent()) {
      return new AccessRegistry.Authentication(boot, "");
    }
    return ApiKeys.looksLikeKey(token) ? registry.authenticate(token) : jwt.verify(token);
  }
}
