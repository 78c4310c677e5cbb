package io.strata.values;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Variable references in layer text: {@code {{ .strata.var.NAME }}}. */
public final class Templates {
  public static final Pattern VARIABLE_REF =
      Pattern.compile("\\{\\{\\s*\\.strata\\.var\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  /** Every {@code {{ ... }}}, up to the first {@code }}} (braces inside it included). */
  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);

  /** Mentions Strata's own name: {@code .strata.var.x}, {@code $s := .strata}. */
  private static final Pattern MENTIONS_STRATA = Pattern.compile("\\.strata\\b");

  private Templates() {}

  /**
   * The expressions in {@code text} that mention {@code .strata} but are not a plain {@code {{
   * .strata.var.NAME }}}: trim markers, pipes, functions. {@link #substitute} would leave them in
   * the text as they are, so a save must refuse them rather than ship the literal to a cluster.
   * Other {@code {{ }}} (Go templates of other tools, Helm's own) are not Strata's and stay.
   */
  public static List<String> unsupportedExpressions(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = EXPRESSION.matcher(text);
    while (m.find()) {
      if (MENTIONS_STRATA.matcher(m.group()).find() && !VARIABLE_REF.matcher(m.group()).matches()) {
        out.add(m.group());
      }
    }
    return out;
  }

  /**
   * Replaces every reference by {@code valueOf(name)}; a name without a value is left as {@code
   * onMissing(name)}.
   */
  public static String substitute(
      String text, Function<String, Optional<String>> valueOf, Function<String, String> onMissing) {
    Matcher m = VARIABLE_REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = valueOf.apply(name).orElseGet(() -> onMissing.apply(name));
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
