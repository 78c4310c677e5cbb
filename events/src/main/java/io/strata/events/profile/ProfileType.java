package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a profile may contain: infra layers, add-ons, or both. */
public enum ProfileType {
  @JsonProperty("infra")
  INFRA,
  @JsonProperty("addon")
  ADDON,
  @JsonProperty("full")
  FULL
}
