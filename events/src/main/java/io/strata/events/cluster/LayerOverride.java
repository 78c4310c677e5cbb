package io.strata.events.cluster;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import java.util.List;
import java.util.Objects;

/**
 * A per-cluster change to one (profile, layer): a values patch deep-merged over the layer's values,
 * and/or manifest patches (each a JSON document {@code {"target": {kind, name, namespace?},
 * "patch": {...}}}, an RFC 7386 merge patch). Part of the spec, so it survives version changes and
 * rollbacks. {@code baseVersion}/{@code baseRevision} is the content it was written against: when
 * the base later changes a path the override sets, that path is a conflict.
 */
public record LayerOverride(
    ProfileId profileId,
    String layer,
    String values,
    List<String> patches,
    Semver baseVersion,
    int baseRevision) {
  public LayerOverride {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(baseVersion, "baseVersion");
    values = values == null ? "" : values;
    patches = patches == null ? List.of() : List.copyOf(patches);
  }

  public LayerOverride rebasedOn(Semver version, int revision) {
    return new LayerOverride(profileId, layer, values, patches, version, revision);
  }

  public boolean targets(ProfileId profile, String layerName) {
    return profileId.equals(profile) && layer.equals(layerName);
  }
}
