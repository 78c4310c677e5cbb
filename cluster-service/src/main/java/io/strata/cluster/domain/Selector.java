package io.strata.cluster.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector ({@code env=prod,tier!=db,region in (eu,us),!legacy}) and its SQL
 * over the {@code labels} JSONB column.
 */
public record Selector(List<Requirement> requirements) {
  private static final String KEY =
      "(?:[A-Za-z0-9][-A-Za-z0-9_.]{0,252}/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String VALUE = "(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";
  private static final Pattern EXISTS = Pattern.compile("(!?)\\s*(" + KEY + ")");
  private static final Pattern EQUALS =
      Pattern.compile("(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")");
  private static final Pattern SET =
      Pattern.compile("(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)");
  private static final Pattern VALUE_ONLY = Pattern.compile(VALUE);

  public enum Op {
    EXISTS,
    NOT_EXISTS,
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN
  }

  public record Requirement(String key, Op op, List<String> values) {}

  /** A selector that does not parse; the message says where. */
  public static final class Unparseable extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Unparseable(String message) {
      super(message);
    }
  }

  public static Selector parse(String text) {
    if (text == null || text.isBlank()) {
      return new Selector(List.of());
    }
    List<Requirement> out = new ArrayList<>();
    for (String part : split(text)) {
      String p = part.strip();
      Matcher m;
      if ((m = SET.matcher(p)).matches()) {
        List<String> values = new ArrayList<>();
        for (String v : m.group(3).split(",")) {
          String value = v.strip();
          if (!VALUE_ONLY.matcher(value).matches()) {
            throw new Unparseable("'" + value + "' is not a label value in '" + p + "'");
          }
          values.add(value);
        }
        out.add(new Requirement(m.group(1), m.group(2).equals("in") ? Op.IN : Op.NOT_IN, values));
      } else if ((m = EQUALS.matcher(p)).matches()) {
        out.add(
            new Requirement(
                m.group(1),
                m.group(2).equals("!=") ? Op.NOT_EQUALS : Op.EQUALS,
                List.of(m.group(3))));
      } else if ((m = EXISTS.matcher(p)).matches()) {
        out.add(
            new Requirement(
                m.group(2), m.group(1).isEmpty() ? Op.EXISTS : Op.NOT_EXISTS, List.of()));
      } else {
        throw new Unparseable(
            "'"
                + p
                + "' is not a label requirement (key=value, key!=value, key in (a,b), key notin (a), key, !key)");
      }
    }
    return new Selector(out);
  }

  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (ch == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    if (parts.stream().anyMatch(String::isBlank)) {
      throw new Unparseable("empty requirement in '" + text + "'");
    }
    return parts;
  }

  /**
   * SQL over {@code labels} with {@code ?} parameters, in the order {@link #parameters()} gives.
   */
  public String sql() {
    if (requirements.isEmpty()) {
      return "TRUE";
    }
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      parts.add(
          switch (r.op()) {
            case EXISTS -> "jsonb_exists(labels, ?)";
            case NOT_EXISTS -> "NOT jsonb_exists(labels, ?)";
            case EQUALS -> "labels ->> ? = ?";
            case NOT_EQUALS -> "(labels ->> ?) IS DISTINCT FROM ?";
            case IN -> "labels ->> ? = ANY (?)";
            case NOT_IN -> "NOT COALESCE(labels ->> ? = ANY (?), false)";
          });
    }
    return String.join(" AND ", parts);
  }

  /** Each requirement's key, then its value (a String) or values (a String[]). */
  public List<Object> parameters() {
    List<Object> out = new ArrayList<>();
    for (Requirement r : requirements) {
      out.add(r.key());
      switch (r.op()) {
        case EXISTS, NOT_EXISTS -> {}
        case EQUALS, NOT_EQUALS -> out.add(r.values().get(0));
        case IN, NOT_IN -> out.add(r.values().toArray(String[]::new));
      }
    }
    return out;
  }

  /** Labels must be what Kubernetes accepts, so that selectors can name them. */
  public static void checkLabels(
      java.util.Map<String, String> labels, List<io.strata.kit.http.Problem.FieldError> errors) {
    Pattern key = Pattern.compile(KEY);
    labels.forEach(
        (k, v) -> {
          if (k == null || !key.matcher(k).matches()) {
            errors.add(
                new io.strata.kit.http.Problem.FieldError(
                    "labels",
                    "'" + k + "' is not a label key ([prefix/]name, 63 characters at most)"));
          } else if (v == null || !VALUE_ONLY.matcher(v).matches()) {
            errors.add(
                new io.strata.kit.http.Problem.FieldError(
                    "labels." + k,
                    "is not a label value (63 characters at most: letters, digits, - _ .)"));
          }
        });
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }
}
