package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one layer differs between two revisions of a version. */
public record LayerChange(String layer, Kind kind) {
  public enum Kind {
    @JsonProperty("added")
    ADDED,
    @JsonProperty("removed")
    REMOVED,
    /** replaced by a layer of another type or another chart/pack */
    @JsonProperty("swapped")
    SWAPPED,
    /** same source, other values or manifests */
    @JsonProperty("reconfigured")
    RECONFIGURED,
    @JsonProperty("moved")
    MOVED
  }
}
