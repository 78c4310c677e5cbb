package io.strata.events;

import io.strata.events.access.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Facts about who may do what: projects and API keys. An API key event carries a salted SHA-256
 * hash of the key's secret (so that every service can verify keys), never the secret itself.
 */
public sealed interface AccessEvent extends DomainEvent {

  /** A project; {@code shared} projects' profiles may be attached by clusters of any project. */
  record ProjectCreated(String name, boolean shared) implements AccessEvent {
    @Override
    public String aggregateId() {
      return "project:" + name;
    }
  }

  /**
   * An API key: its public id (the middle part of {@code stk_<keyId>_<secret>}), its role in its
   * projects ({@code *} = all), an optional expiry, and {@code hash = sha256(salt ‖ secret)}.
   */
  record ApiKeyCreated(
      String name,
      String keyId,
      Role role,
      List<String> projects,
      Optional<Instant> expiresAt,
      String salt,
      String hash)
      implements AccessEvent {
    public ApiKeyCreated {
      projects = projects == null ? List.of() : List.copyOf(projects);
      expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
    }

    @Override
    public String aggregateId() {
      return "apikey:" + name;
    }
  }

  record ApiKeyRevoked(String name, String keyId) implements AccessEvent {
    @Override
    public String aggregateId() {
      return "apikey:" + name;
    }
  }
}
