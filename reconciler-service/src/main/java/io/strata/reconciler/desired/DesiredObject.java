package io.strata.reconciler.desired;

import java.util.Map;

/**
 * One object of a cluster's desired state: where it comes from (profile, layer) and its whole body,
 * labelled with {@code strata.io/cluster}, {@code strata.io/profile}, {@code strata.io/layer} and
 * {@code strata.io/generation}.
 */
public record DesiredObject(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String profile,
    String layer,
    Map<String, Object> body) {

  /** {@code apiVersion/kind/namespace/name}: what identifies the object on a cluster. */
  public String key() {
    return apiVersion + "/" + kind + "/" + namespace + "/" + name;
  }
}
