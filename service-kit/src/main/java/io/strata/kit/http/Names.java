package io.strata.kit.http;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of things (profiles, layers, projects, keys): DNS labels, so no path characters and no
 * look-alikes.
 */
public final class Names {
  public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private Names() {}

  /** Adds a problem to {@code errors} unless {@code value} is a valid name. */
  public static void check(String field, String value, List<Problem.FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(new Problem.FieldError(field, "is required"));
    } else if (!DNS_LABEL.matcher(value).matches()) {
      errors.add(
          new Problem.FieldError(
              field,
              "must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or"
                  + " digit"));
    }
  }
}
