package io.strata.reconciler.target;

import io.strata.events.ClusterId;
import io.strata.events.reconcile.ObjectAction;
import io.strata.reconciler.desired.DesiredObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Where a cluster's objects live: applies a desired state, prunes, and waits for readiness. */
public interface Target {

  /** Why an apply or readiness wait failed; {@code retryable} for transient causes. */
  final class TargetFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;
    private final transient List<ObjectAction> actions;

    public TargetFailure(String message, boolean retryable, List<ObjectAction> actions) {
      super(message, null, false, false);
      this.retryable = retryable;
      this.actions = List.copyOf(actions);
    }

    public boolean retryable() {
      return retryable;
    }

    /** What was done before the failure. */
    public List<ObjectAction> actions() {
      return actions;
    }
  }

  /**
   * Makes the cluster hold exactly {@code desired} among the objects labelled as ours (prunes the
   * others, never touches an object without our labels) and waits until its workloads are ready.
   */
  List<ObjectAction> apply(ClusterId cluster, List<DesiredObject> desired, Duration readiness)
      throws TargetFailure;

  /**
   * The live bodies, by {@link DesiredObject#key()}, of the desired objects the cluster holds and
   * of every object labelled as this cluster's: what drift checks and previews compare against.
   */
  Map<String, Map<String, Object>> live(ClusterId cluster, List<DesiredObject> desired)
      throws TargetFailure;

  /** A deregistered cluster: removes every object labelled as ours, nothing else. */
  void prune(ClusterId cluster) throws TargetFailure;
}
