package io.strata.reconciler.target;

import io.strata.reconciler.specs.ClusterSpecs;
import jakarta.inject.Singleton;

/** The target a cluster's objects go to, by its target kind. */
@Singleton
public class Targets {
  private final SimulatedClusters simulated;

  Targets(SimulatedClusters simulated) {
    this.simulated = simulated;
  }

  public Target of(ClusterSpecs.Known cluster) {
    return switch (cluster.targetKind()) {
      case "simulated" -> simulated;
      default -> Unreachable.KUBERNETES_NOT_YET;
    };
  }

  /** Kubernetes targets until the reconciler applies to them: every call fails, permanently. */
  enum Unreachable implements Target {
    KUBERNETES_NOT_YET;

    private static final String WHY =
        "kubernetes targets are not reconciled by this version of the reconciler yet";

    @Override
    public java.util.List<io.strata.events.reconcile.ObjectAction> apply(
        io.strata.events.ClusterId cluster,
        java.util.List<io.strata.reconciler.desired.DesiredObject> desired,
        java.time.Duration readiness)
        throws TargetFailure {
      throw new TargetFailure(WHY, false, java.util.List.of());
    }

    @Override
    public java.util.Map<String, java.util.Map<String, Object>> live(
        io.strata.events.ClusterId cluster,
        java.util.List<io.strata.reconciler.desired.DesiredObject> desired)
        throws TargetFailure {
      throw new TargetFailure(WHY, false, java.util.List.of());
    }

    @Override
    public void prune(io.strata.events.ClusterId cluster) throws TargetFailure {
      throw new TargetFailure(WHY, false, java.util.List.of());
    }
  }
}
