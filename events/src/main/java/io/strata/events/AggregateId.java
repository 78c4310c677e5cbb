package io.strata.events;

import java.util.regex.Pattern;

/** Validation shared by every typed aggregate id: opaque, URL-safe, bounded. */
final class AggregateId {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  private AggregateId() {}

  static String requireValid(String kind, String value) {
    if (value == null || !SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          kind + " must be 1-128 characters of [A-Za-z0-9._:@-], starting alphanumeric: " + value);
    }
    return value;
  }
}
