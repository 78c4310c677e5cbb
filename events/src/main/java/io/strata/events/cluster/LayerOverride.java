package io.strata.events.cluster;

import io.strata.events.ProfileId;
import java.util.List;

/**
 * A per-cluster change to one (profile, layer): a values patch deep-merged over the layer's values,
 * and/or manifest patches. Part of the spec, so it survives version changes and rollbacks.
 */
public record LayerOverride(
    ProfileId profileId, String layer, String values, List<String> patches) {
  public LayerOverride {
    values = values == null ? "" : values;
    patches = patches == null ? List.of() : List.copyOf(patches);
  }
}
