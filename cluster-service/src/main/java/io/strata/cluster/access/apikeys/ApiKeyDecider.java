package io.strata.cluster.access.apikeys;

import io.strata.events.AccessEvent;
import io.strata.events.access.Role;
import io.strata.kit.security.ApiKeys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** decide(command, ApiKey) -> events, pure apart from the key's randomness (passed in). */
final class ApiKeyDecider {
  record CreateApiKey(
      String name,
      Role role,
      List<String> projects,
      Optional<Instant> expiresAt,
      ApiKeys.Generated key) {}

  record RevokeApiKey(String name) {}

  static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    Rejected(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private ApiKeyDecider() {}

  static List<AccessEvent> decide(CreateApiKey cmd, ApiKey state) {
    if (state.activeKeyId().isPresent()) {
      throw new Rejected(
          409, "an active API key named '" + cmd.name() + "' exists; revoke it first");
    }
    return List.of(
        new AccessEvent.ApiKeyCreated(
            cmd.name(),
            cmd.key().keyId(),
            cmd.role(),
            cmd.projects(),
            cmd.expiresAt(),
            cmd.key().salt(),
            cmd.key().hash()));
  }

  static List<AccessEvent> decide(RevokeApiKey cmd, ApiKey state) {
    String keyId =
        state
            .activeKeyId()
            .orElseThrow(() -> new Rejected(404, "no active API key named '" + cmd.name() + "'"));
    return List.of(new AccessEvent.ApiKeyRevoked(cmd.name(), keyId));
  }
}
