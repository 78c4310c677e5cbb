package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum VariableType {
  @JsonProperty("string")
  STRING,
  @JsonProperty("number")
  NUMBER,
  @JsonProperty("boolean")
  BOOLEAN
}
