package io.strata.events.access;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Optional;

/** What a principal may do in a project; each role includes the ones below it. */
public enum Role {
  /** read */
  @JsonProperty("viewer")
  VIEWER,
  /** apply updates, roll back, overrides, variables, bulk operations */
  @JsonProperty("operator")
  OPERATOR,
  /** profiles, versions, packs, clusters, keys, projects */
  @JsonProperty("admin")
  ADMIN;

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromLabel(String label) {
    for (Role r : values()) {
      if (r.label().equals(label)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
