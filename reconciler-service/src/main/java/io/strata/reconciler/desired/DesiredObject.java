package io.strata.reconciler.desired;

import io.strata.events.reconcile.ObjectRef;
import java.util.Arrays;
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

  public ObjectRef ref() {
    return new ObjectRef(apiVersion, kind, namespace, name);
  }

  /** The object a {@link #key()} names (an apiVersion may itself contain a slash). */
  public static ObjectRef refOf(String key) {
    String[] k = key.split("/", -1);
    int n = k.length;
    return new ObjectRef(String.join("/", Arrays.copyOf(k, n - 3)), k[n - 3], k[n - 2], k[n - 1]);
  }

  /** A label of any object body; {@code null} when absent. */
  public static String label(Map<String, Object> body, String name) {
    return body.get("metadata") instanceof Map<?, ?> md
            && md.get("labels") instanceof Map<?, ?> l
            && l.get(name) != null
        ? String.valueOf(l.get(name))
        : null;
  }
}
