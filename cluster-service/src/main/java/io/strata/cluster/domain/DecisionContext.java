package io.strata.cluster.domain;

import io.strata.events.ClusterId;
import io.strata.events.cluster.ClusterSpec;
import io.strata.kit.catalog.Catalog;
import java.util.Optional;
import java.util.OptionalLong;

/** Everything a decision may look up besides the cluster's own state. */
public interface DecisionContext {
  Catalog catalog();

  /** The spec of an earlier generation of the cluster. */
  Optional<ClusterSpec> generation(long generation);

  /** The newest generation below {@code generation} that the reconciler reported converged. */
  OptionalLong lastConvergedBefore(long generation);

  /**
   * Encrypts the value of a sensitive variable and answers the reference that specs and events
   * carry instead of it.
   */
  String seal(ClusterId cluster, String variable, String value);
}
