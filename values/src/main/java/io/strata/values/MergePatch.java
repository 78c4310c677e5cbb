package io.strata.values;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON Merge Patch (RFC 7386) on parsed YAML: a mapping patch merges key by key, {@code null}
 * removes, anything else replaces. Lists are replaced whole, as the RFC says.
 */
public final class MergePatch {
  private MergePatch() {}

  public static Object apply(Object target, Object patch) {
    if (!(patch instanceof Map<?, ?> pm)) {
      return Values.deepCopy(patch);
    }
    Map<String, Object> out =
        target instanceof Map<?, ?> tm
            ? new LinkedHashMap<>(Values.stringKeys(tm))
            : new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : Values.stringKeys(pm).entrySet()) {
      if (e.getValue() == null) {
        out.remove(e.getKey());
      } else {
        out.put(e.getKey(), apply(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }
}
