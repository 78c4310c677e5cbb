package io.strata.kit.http;

import java.util.List;

/**
 * Query parameters taken as text and converted here: JAX-RS answers a parameter that does not
 * convert to its Java type with a bare 404, where the client needs a 400 naming the parameter.
 */
public final class QueryParams {
  private QueryParams() {}

  /** The whole number in {@code value}; empty when absent; a 400 naming {@code name} if not. */
  public static Integer integer(String name, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(value.strip());
    } catch (NumberFormatException e) {
      throw new ProblemException(
          400,
          "Bad Request",
          name + " must be an integer",
          List.of(new Problem.FieldError(name, "must be an integer")));
    }
  }
}
