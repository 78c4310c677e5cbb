package io.strata.events.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a reconcile did to one object, and from which layer it came. */
public record ObjectAction(ObjectRef object, String layer, Action action) {
  public enum Action {
    @JsonProperty("created")
    CREATED,
    @JsonProperty("updated")
    UPDATED,
    @JsonProperty("unchanged")
    UNCHANGED,
    @JsonProperty("pruned")
    PRUNED
  }
}
