package io.strata.events;

import io.strata.events.cluster.*;
import java.util.List;
import java.util.Map;

/** Facts about clusters: their spec generations and their observed status. */
public sealed interface ClusterEvent extends io.strata.events.DomainEvent {

  ClusterId clusterId();

  @java.lang.Override
  default String aggregateId() {
    return clusterId().value();
  }

  /** Registration is generation 1 of the spec. */
  record ClusterRegistered(
      ClusterId clusterId,
      String name,
      Map<String, String> labels,
      ClusterTarget target,
      ClusterSpec spec,
      String project,
      DriftPolicy driftPolicy)
      implements ClusterEvent {
    public ClusterRegistered {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      project = project == null ? "default" : project;
      // events written before drift policies existed meant the default
      driftPolicy = driftPolicy == null ? DriftPolicy.CORRECT : driftPolicy;
    }
  }

  /** How the reconciler treats drift on this cluster from now on. Not a spec generation. */
  record ClusterDriftPolicySet(ClusterId clusterId, DriftPolicy policy) implements ClusterEvent {}

  /** Attach, upgrade or downgrade: the whole new spec and why ({@code attach}, ...). */
  record ClusterProfilesAttached(ClusterId clusterId, ClusterSpec spec, String reason)
      implements ClusterEvent {}

  record ClusterVariablesSet(ClusterId clusterId, ClusterSpec spec) implements ClusterEvent {}

  record ClusterOverrideSet(ClusterId clusterId, LayerOverride override, ClusterSpec spec)
      implements ClusterEvent {}

  record ClusterOverrideRemoved(
      ClusterId clusterId, ProfileId profileId, String layer, ClusterSpec spec)
      implements ClusterEvent {}

  /** A newer revision of an attached version appeared; nothing changes until it is applied. */
  record ClusterPendingUpdateDetected(ClusterId clusterId, PendingUpdate update)
      implements ClusterEvent {}

  record ClusterUpdatesApplied(ClusterId clusterId, ClusterSpec spec, List<PendingUpdate> applied)
      implements ClusterEvent {
    public ClusterUpdatesApplied {
      applied = applied == null ? List.of() : List.copyOf(applied);
    }
  }

  /** A new generation equal to {@code restoredGeneration}; history is never rewritten. */
  record ClusterRolledBack(ClusterId clusterId, ClusterSpec spec, long restoredGeneration)
      implements ClusterEvent {}

  record ClusterDeregistered(ClusterId clusterId, boolean prune) implements ClusterEvent {}

  record ClusterStatusChanged(
      ClusterId clusterId,
      ClusterPhase phase,
      long observedGeneration,
      long lastConvergedGeneration,
      String message)
      implements ClusterEvent {
    public ClusterStatusChanged {
      message = message == null ? "" : message;
    }
  }
}
