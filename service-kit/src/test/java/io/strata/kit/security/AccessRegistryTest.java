package io.strata.kit.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.AccessEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.access.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AccessRegistryTest {
  private final ApiKeys.Generated key = ApiKeys.generate();

  private EventEnvelope created(long seq) {
    return envelope(
        seq,
        new AccessEvent.ApiKeyCreated(
            "ci",
            key.keyId(),
            Role.OPERATOR,
            List.of("team-a"),
            Optional.empty(),
            key.salt(),
            key.hash()));
  }

  private EventEnvelope revoked(long seq) {
    return envelope(seq, new AccessEvent.ApiKeyRevoked("ci", key.keyId()));
  }

  private static EventEnvelope envelope(long seq, AccessEvent event) {
    return new EventEnvelope(
        UUID.randomUUID(),
        "/strata/cluster-service",
        Instant.now(),
        seq,
        "admin",
        "",
        "default",
        event);
  }

  private static AccessRegistry fedByHand() {
    AccessRegistry registry = new AccessRegistry("test");
    registry.fedByHand();
    return registry;
  }

  @Test
  @DisplayName("a key's creation that arrives after its revocation does not make it valid again")
  void appliesOnlyForward() {
    AccessRegistry registry = fedByHand();
    registry.applyWritten(List.of(created(1)));
    registry.applyWritten(List.of(revoked(2)));

    // the topic brings both again, the creation last among them as a replay would
    registry.applyInMemory(revoked(2));
    registry.applyInMemory(created(1));

    assertThat(registry.authenticate(key.key()).caller()).isEmpty();
    assertThat(registry.authenticate(key.key()).reason()).contains("revoked");
  }

  @Test
  @DisplayName("a key created again under its name after a revocation is valid")
  void recreatedKey() {
    AccessRegistry registry = fedByHand();
    registry.applyInMemory(created(1));
    registry.applyInMemory(revoked(2));
    ApiKeys.Generated again = ApiKeys.generate();
    registry.applyInMemory(
        envelope(
            3,
            new AccessEvent.ApiKeyCreated(
                "ci",
                again.keyId(),
                Role.VIEWER,
                List.of("team-a"),
                Optional.empty(),
                again.salt(),
                again.hash())));

    assertThat(registry.authenticate(again.key()).caller()).isPresent();
    assertThat(registry.authenticate(key.key()).caller()).isEmpty();
    assertThat(registry.keys()).hasSize(1);
  }

  @Test
  @DisplayName("until the topic has been read, keys are refused with the reason")
  void refusesUntilComplete() {
    AccessRegistry registry = new AccessRegistry("test");
    registry.applyInMemory(created(1));

    assertThat(registry.complete()).isFalse();
    assertThat(registry.authenticate(key.key()).caller()).isEmpty();
    assertThat(registry.authenticate(key.key()).reason()).contains("still being read");
  }
}
