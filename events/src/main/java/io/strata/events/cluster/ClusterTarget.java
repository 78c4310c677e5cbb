package io.strata.events.cluster;

/**
 * Where a cluster's objects go. Credentials never travel in events: {@code credentialsRef} names
 * the encrypted kubeconfig held by cluster-service (empty for simulated clusters).
 */
public record ClusterTarget(TargetKind kind, String credentialsRef) {
  public ClusterTarget {
    credentialsRef = credentialsRef == null ? "" : credentialsRef;
  }
}
