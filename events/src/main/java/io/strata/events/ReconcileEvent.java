package io.strata.events;

import io.strata.events.reconcile.*;
import java.util.List;

/** Outcomes of turning a cluster's spec generation into live objects. Keyed by cluster. */
public sealed interface ReconcileEvent extends DomainEvent {

  ClusterId clusterId();

  long generation();

  @Override
  default String aggregateId() {
    return clusterId().value();
  }

  record ReconcileStarted(ClusterId clusterId, long generation, String desiredDigest)
      implements ReconcileEvent {}

  record ReconcileSucceeded(
      ClusterId clusterId,
      long generation,
      String desiredDigest,
      List<ObjectAction> objects,
      long durationMs)
      implements ReconcileEvent {
    public ReconcileSucceeded {
      objects = objects == null ? List.of() : List.copyOf(objects);
    }
  }

  /** {@code retryable} is false for permanent errors (bad content), true for transient ones. */
  record ReconcileFailed(
      ClusterId clusterId,
      long generation,
      String desiredDigest,
      List<ObjectAction> objects,
      long durationMs,
      String error,
      boolean retryable)
      implements ReconcileEvent {
    public ReconcileFailed {
      objects = objects == null ? List.of() : List.copyOf(objects);
      error = error == null ? "" : error;
    }
  }

  /** {@code corrected} says whether the policy is to correct it (a DriftCorrected follows). */
  record DriftDetected(
      ClusterId clusterId, long generation, List<DriftedObject> objects, boolean corrected)
      implements ReconcileEvent {
    public DriftDetected {
      objects = objects == null ? List.of() : List.copyOf(objects);
    }
  }

  record DriftCorrected(ClusterId clusterId, long generation, List<ObjectRef> objects)
      implements ReconcileEvent {
    public DriftCorrected {
      objects = objects == null ? List.of() : List.copyOf(objects);
    }
  }
}
