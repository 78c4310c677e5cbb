package io.strata.reconciler.target;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a live workload has rolled out, the way {@code kubectl rollout status} decides: a
 * Deployment, StatefulSet or DaemonSet whose controller has seen its newest generation and whose
 * replicas are all updated and available; a Job that completed. Other kinds are ready once they
 * exist. Pure: answers why not, or empty when ready.
 */
public final class Readiness {
  private Readiness() {}

  /** Kinds that are ready only once rolled out (or completed); others once they exist. */
  public static boolean hasRollout(String kind) {
    return Set.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(kind);
  }

  /** Why {@code body} is not ready yet; empty when it is. */
  public static Optional<String> notReady(String kind, Map<String, Object> body) {
    Map<?, ?> spec = map(body.get("spec"));
    Map<?, ?> status = map(body.get("status"));
    long generation = number(map(body.get("metadata")).get("generation"), 0);
    long observed = number(status.get("observedGeneration"), -1);
    return switch (kind) {
      case "Deployment" -> {
        long want = number(spec.get("replicas"), 1);
        if (observed < generation) {
          yield Optional.of("the controller has not seen generation " + generation);
        }
        long updated = number(status.get("updatedReplicas"), 0);
        long available = number(status.get("availableReplicas"), 0);
        yield updated < want || available < want
            ? Optional.of(available + " of " + want + " replicas available")
            : Optional.empty();
      }
      case "StatefulSet" -> {
        long want = number(spec.get("replicas"), 1);
        long ready = number(status.get("readyReplicas"), 0);
        long updated = number(status.get("updatedReplicas"), 0);
        yield observed < generation || ready < want || updated < want
            ? Optional.of(ready + " of " + want + " replicas ready")
            : Optional.empty();
      }
      case "DaemonSet" -> {
        long want = number(status.get("desiredNumberScheduled"), -1);
        long available = number(status.get("numberAvailable"), 0);
        long updated = number(status.get("updatedNumberScheduled"), 0);
        yield observed < generation || want < 0 || available < want || updated < want
            ? Optional.of(available + " of " + Math.max(want, 0) + " pods available")
            : Optional.empty();
      }
      case "Job" -> {
        long want = number(spec.get("completions"), 1);
        long succeeded = number(status.get("succeeded"), 0);
        yield succeeded < want
            ? Optional.of(succeeded + " of " + want + " completions")
            : Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  /** A Job that has failed for good never becomes ready: no need to wait for the timeout. */
  public static boolean failedForGood(String kind, Map<String, Object> body) {
    if (!kind.equals("Job")
        || !(map(body.get("status")).get("conditions") instanceof Iterable<?> cs)) {
      return false;
    }
    for (Object c : cs) {
      Map<?, ?> condition = map(c);
      if ("Failed".equals(condition.get("type")) && "True".equals(condition.get("status"))) {
        return true;
      }
    }
    return false;
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static long number(Object o, long otherwise) {
    if (o instanceof Number n) {
      return n.longValue();
    }
    if (o instanceof String s && s.matches("\\d+")) {
      return Long.parseLong(s);
    }
    return otherwise;
  }
}
