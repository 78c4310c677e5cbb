package io.strata.events.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One generation of what a cluster should run. Events carry it whole. */
public record ClusterSpec(
    long generation,
    List<AttachedProfile> profiles,
    Map<String, String> variables,
    List<LayerOverride> overrides) {
  public ClusterSpec {
    profiles = profiles == null ? List.of() : List.copyOf(profiles);
    variables =
        variables == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(variables));
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
  }
}
