package io.strata.events.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the reconciler does when a cluster's live objects no longer match the desired state: put
 * them back ({@code correct}, the default, like Argo CD's self-heal) or only report the drift.
 */
public enum DriftPolicy {
  @JsonProperty("correct")
  CORRECT,
  @JsonProperty("report")
  REPORT
}
