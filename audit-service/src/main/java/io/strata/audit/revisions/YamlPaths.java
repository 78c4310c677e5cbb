package io.strata.audit.revisions;

import io.strata.values.Yamls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * YAML as a flat map from path ({@code a.b[0].c}) to scalar, the unit the diff speaks in. Loaded
 * with the platform's one safe loader ({@link Yamls}: plain types, few aliases, none recursive).
 */
public final class YamlPaths {
  private YamlPaths() {}

  /** One document's paths; text that is not YAML is one path, {@code (text)}, holding it. */
  public static SortedMap<String, String> flatten(String text) {
    SortedMap<String, String> out = new TreeMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    try {
      flatten("", Yamls.load(text), out);
    } catch (RuntimeException e) {
      out.put("(text)", text);
    }
    return out;
  }

  /**
   * Every document of a stream; documents that are not YAML are returned as {@code null}-free text.
   */
  public static List<Object> documents(String text) {
    List<Object> out = new ArrayList<>();
    try {
      out.addAll(Yamls.loadAll(text == null ? "" : text));
    } catch (RuntimeException e) {
      out.clear();
      out.add(text);
    }
    return out;
  }

  public static SortedMap<String, String> flatten(Object value) {
    SortedMap<String, String> out = new TreeMap<>();
    flatten("", value, out);
    return out;
  }

  private static void flatten(String path, Object v, SortedMap<String, String> out) {
    switch (v) {
      case null -> out.put(path.isEmpty() ? "." : path, "null");
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          out.put(path.isEmpty() ? "." : path, "{}");
        }
        m.forEach((k, x) -> flatten(path.isEmpty() ? key(k) : path + "." + key(k), x, out));
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          out.put(path.isEmpty() ? "." : path, "[]");
        }
        for (int i = 0; i < l.size(); i++) {
          flatten(path + "[" + i + "]", l.get(i), out);
        }
      }
      default -> out.put(path.isEmpty() ? "." : path, String.valueOf(v));
    }
  }

  /** Keys with dots or brackets are quoted so that paths stay unambiguous. */
  private static String key(Object k) {
    String s = String.valueOf(k);
    return s.matches("[A-Za-z0-9_\\-/]+") ? s : "\"" + s.replace("\"", "\\\"") + "\"";
  }
}
