package io.strata.cluster.access.apikeys;

import io.strata.events.AccessEvent;
import java.util.List;
import java.util.Optional;

/** An API key name's state as the write side folds it: the key id of its active key, if any. */
record ApiKey(Optional<String> activeKeyId) {
  static ApiKey fold(List<AccessEvent> events) {
    ApiKey k = new ApiKey(Optional.empty());
    for (AccessEvent e : events) {
      k = k.evolve(e);
    }
    return k;
  }

  ApiKey evolve(AccessEvent e) {
    return switch (e) {
      case AccessEvent.ApiKeyCreated c -> new ApiKey(Optional.of(c.keyId()));
      case AccessEvent.ApiKeyRevoked r -> new ApiKey(Optional.empty());
      case AccessEvent.ProjectCreated p -> this;
    };
  }
}
