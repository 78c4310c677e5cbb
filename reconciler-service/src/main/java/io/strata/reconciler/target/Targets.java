package io.strata.reconciler.target;

import io.strata.reconciler.specs.ClusterSpecs;
import jakarta.inject.Singleton;

/** The target a cluster's objects go to, by its target kind. */
@Singleton
public class Targets {
  private final SimulatedClusters simulated;
  private final KubernetesClusters kubernetes;

  Targets(SimulatedClusters simulated, KubernetesClusters kubernetes) {
    this.simulated = simulated;
    this.kubernetes = kubernetes;
  }

  public Target of(ClusterSpecs.Known cluster) {
    return cluster.targetKind().equals("simulated") ? simulated : kubernetes.of(cluster);
  }
}
