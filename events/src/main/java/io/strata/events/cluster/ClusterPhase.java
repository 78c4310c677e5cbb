package io.strata.events.cluster;

public enum ClusterPhase {
  Pending,
  Reconciling,
  Converged,
  Failed,
  Drifted
}
