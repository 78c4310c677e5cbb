package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a profile may contain: infra layers, add-ons, or both. */
public enum ProfileType {
  @JsonProperty("infra")
  INFRA,
  @JsonProperty("addon")
  ADDON,
  @JsonProperty("full")
  FULL;

  /** The name on the wire and in read models. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ProfileType fromLabel(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT));
  }
}
