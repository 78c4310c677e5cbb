package io.strata.events.reconcile;

/** A Kubernetes object by identity; {@code namespace} is empty for cluster-scoped objects. */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {
  public ObjectRef {
    namespace = namespace == null ? "" : namespace;
  }
}
