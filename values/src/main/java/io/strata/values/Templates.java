package io.strata.values;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Variable references in layer text: {@code {{ .strata.var.NAME }}}. */
public final class Templates {
  public static final Pattern VARIABLE_REF =
      Pattern.compile("\\{\\{\\s*\\.strata\\.var\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private Templates() {}

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
