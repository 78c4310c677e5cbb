package io.strata.values;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path to a value inside a YAML mapping, written {@code spec.template.metadata} ; keys that are
 * not plain identifiers are quoted, {@code metadata.annotations["sim.strata.io/healthy"]}.
 */
public record ValuePath(List<String> keys) implements Comparable<ValuePath> {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

  public ValuePath {
    keys = List.copyOf(keys);
  }

  public static ValuePath of(String... keys) {
    return new ValuePath(List.of(keys));
  }

  public ValuePath child(String key) {
    List<String> k = new ArrayList<>(keys);
    k.add(key);
    return new ValuePath(k);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (String k : keys) {
      if (PLAIN.matcher(k).matches()) {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(k);
      } else {
        out.append("[\"").append(k.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
      }
    }
    return out.toString();
  }

  @Override
  public int compareTo(ValuePath o) {
    return toString().compareTo(o.toString());
  }
}
