package io.strata.events.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum TargetKind {
  @JsonProperty("simulated")
  SIMULATED,
  @JsonProperty("kubernetes")
  KUBERNETES
}
