package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum PackKind {
  @JsonProperty("helm")
  HELM,
  @JsonProperty("manifests")
  MANIFESTS
}
