package io.strata.cluster.domain;

import io.strata.events.ClusterEvent;
import io.strata.events.ClusterId;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.ClusterTarget;
import io.strata.events.cluster.DriftPolicy;
import io.strata.events.cluster.TargetKind;
import java.util.List;
import java.util.Map;

/** A cluster as its events made it: identity, target and the current spec generation. */
public record ClusterState(
    ClusterId id,
    String name,
    String project,
    Map<String, String> labels,
    ClusterTarget target,
    DriftPolicy driftPolicy,
    ClusterSpec spec,
    boolean registered) {

  public ClusterState {
    labels = Map.copyOf(labels);
    // rows written before drift policies existed meant the default
    driftPolicy = driftPolicy == null ? DriftPolicy.CORRECT : driftPolicy;
  }

  public static ClusterState unregistered(ClusterId id) {
    return new ClusterState(
        id,
        "",
        "",
        Map.of(),
        new ClusterTarget(TargetKind.SIMULATED, ""),
        DriftPolicy.CORRECT,
        new ClusterSpec(0, List.of(), Map.of(), List.of()),
        false);
  }

  public long generation() {
    return spec.generation();
  }

  public ClusterState evolve(ClusterEvent event) {
    return switch (event) {
      case ClusterEvent.ClusterRegistered r ->
          new ClusterState(
              id, r.name(), r.project(), r.labels(), r.target(), r.driftPolicy(), r.spec(), true);
      case ClusterEvent.ClusterProfilesAttached a -> withSpec(a.spec());
      case ClusterEvent.ClusterVariablesSet v -> withSpec(v.spec());
      case ClusterEvent.ClusterOverrideSet o -> withSpec(o.spec());
      case ClusterEvent.ClusterOverrideRemoved o -> withSpec(o.spec());
      case ClusterEvent.ClusterUpdatesApplied u -> withSpec(u.spec());
      case ClusterEvent.ClusterRolledBack r -> withSpec(r.spec());
      case ClusterEvent.ClusterDeregistered d ->
          new ClusterState(id, name, project, labels, target, driftPolicy, spec, false);
      case ClusterEvent.ClusterDriftPolicySet p ->
          new ClusterState(id, name, project, labels, target, p.policy(), spec, registered);
      case ClusterEvent.ClusterPendingUpdateDetected p -> this;
      case ClusterEvent.ClusterStatusChanged s -> this;
    };
  }

  private ClusterState withSpec(ClusterSpec next) {
    return new ClusterState(id, name, project, labels, target, driftPolicy, next, registered);
  }
}
