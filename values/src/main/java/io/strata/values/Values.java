package io.strata.values;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Helm-style values: YAML mappings merged deeply (an overlay's mapping merges into the base's, any
 * other value replaces it, {@code null} removes the key), read as leaf paths.
 */
public final class Values {
  private Values() {}

  /** Thrown for text that is not a YAML mapping; the message never quotes the text. */
  public static final class NotAMapping extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotAMapping(String message) {
      super(message);
    }
  }

  /** Blank text is the empty mapping. */
  public static Map<String, Object> parse(String text) {
    if (text == null || text.isBlank()) {
      return new LinkedHashMap<>();
    }
    Object o;
    try {
      o = Yamls.load(text);
    } catch (RuntimeException e) {
      throw new NotAMapping("is not valid YAML: " + Yamls.firstLine(e.getMessage()));
    }
    if (o == null) {
      return new LinkedHashMap<>();
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw new NotAMapping("must be a YAML mapping");
    }
    return stringKeys(m);
  }

  /** {@code overlay} over {@code base}; neither is changed. */
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
    Map<String, Object> out = copy(base);
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      Object over = e.getValue();
      if (over == null) {
        out.remove(e.getKey());
      } else if (over instanceof Map<?, ?> om && out.get(e.getKey()) instanceof Map<?, ?> bm) {
        out.put(e.getKey(), merge(stringKeys(bm), stringKeys(om)));
      } else {
        out.put(e.getKey(), deepCopy(over));
      }
    }
    return out;
  }

  /**
   * Every leaf of {@code values} by path: scalars, lists and empty mappings are leaves; a {@code
   * null} (a removal in an overlay) is a leaf too.
   */
  public static SortedMap<ValuePath, Object> leaves(Map<String, Object> values) {
    SortedMap<ValuePath, Object> out = new TreeMap<>();
    collect(new ValuePath(List.of()), values, out);
    return out;
  }

  private static void collect(
      ValuePath at, Map<String, Object> m, SortedMap<ValuePath, Object> out) {
    for (Map.Entry<String, Object> e : m.entrySet()) {
      ValuePath p = at.child(e.getKey());
      if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
        collect(p, stringKeys(child), out);
      } else {
        out.put(p, e.getValue());
      }
    }
  }

  /** The value at {@code path}, if every key on the way is there. */
  public static Optional<Object> at(Map<String, Object> values, ValuePath path) {
    Object cur = values;
    for (String k : path.keys()) {
      if (!(cur instanceof Map<?, ?> m) || !m.containsKey(k)) {
        return Optional.empty();
      }
      cur = m.get(k);
    }
    return Optional.ofNullable(cur);
  }

  public static boolean sameAt(Map<String, Object> a, Map<String, Object> b, ValuePath path) {
    return Objects.equals(at(a, path), at(b, path));
  }

  public static String toYaml(Map<String, Object> values) {
    return values.isEmpty() ? "" : Yamls.dump(values);
  }

  /** A scalar or structure as one line of YAML, for messages and diffs. */
  public static String show(Optional<Object> value) {
    return value.map(v -> Yamls.dump(v).strip()).orElse("(absent)");
  }

  static Map<String, Object> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static Map<String, Object> copy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, deepCopy(v)));
    return out;
  }

  static Object deepCopy(Object v) {
    if (v instanceof Map<?, ?> m) {
      return copy(stringKeys(m));
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Values::deepCopy).toList();
    }
    return v;
  }
}
