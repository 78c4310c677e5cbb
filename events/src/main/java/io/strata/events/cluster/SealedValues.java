package io.strata.events.cluster;

import io.strata.events.ClusterId;
import java.util.regex.Pattern;

/**
 * A sensitive variable's value never travels: specs carry {@code sealed:<cluster>:<id>}, a
 * reference to the value encrypted by cluster-service, resolvable only for that cluster.
 */
public final class SealedValues {
  public static final String MASK = "********";

  /**
   * Stands for a sensitive value inside rendered text (diffs, views): a plain YAML scalar, so the
   * text still parses where {@link #MASK} would read as an alias.
   */
  public static final String HIDDEN = "sensitive-value-hidden";

  private static final Pattern REF = Pattern.compile("sealed:c-[A-Za-z0-9-]+:[0-9a-f-]{36}");

  private SealedValues() {}

  public static boolean isRef(String value) {
    return REF.matcher(value).matches();
  }

  public static String ref(ClusterId cluster, String id) {
    return "sealed:" + cluster.value() + ":" + id;
  }

  /** Values as the API shows them: sealed references and sensitive variables masked. */
  public static java.util.SortedMap<String, String> masked(
      java.util.Map<String, String> values,
      java.util.Map<String, io.strata.events.profile.Variable> declared) {
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    values.forEach(
        (k, v) -> {
          boolean sensitive = declared.containsKey(k) && declared.get(k).sensitive();
          out.put(k, isRef(v) || sensitive ? MASK : v);
        });
    return out;
  }

  public static boolean belongsTo(String ref, ClusterId cluster) {
    return isRef(ref) && ref.startsWith("sealed:" + cluster.value() + ":");
  }
}
