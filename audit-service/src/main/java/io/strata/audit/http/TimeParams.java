package io.strata.audit.http;

import io.strata.kit.http.Problem;
import io.strata.kit.http.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** Query parameters of the audit API checked at the edge: each bad one is a 400 naming it. */
public final class TimeParams {
  private TimeParams() {}

  /** A time range; either end may be open. */
  public record Range(Optional<Instant> from, Optional<Instant> to) {}

  public static Optional<Instant> instant(String name, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.strip()));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(OffsetDateTime.parse(value.strip()).toInstant());
      } catch (DateTimeParseException e2) {
        throw badRequest(
            name, "must be an RFC 3339 time such as 2026-11-24T10:00:00Z: " + shorten(value));
      }
    }
  }

  public static Instant required(String name, String value) {
    return instant(name, value)
        .orElseThrow(() -> badRequest(name, "is required (an RFC 3339 time)"));
  }

  /** {@code from} and {@code to}, where {@code from} must come before {@code to}. */
  public static Range range(String from, String to) {
    Optional<Instant> f = instant("from", from);
    Optional<Instant> t = instant("to", to);
    if (f.isPresent() && t.isPresent() && !f.get().isBefore(t.get())) {
      throw badRequest("to", "must be after from (" + f.get() + "): " + t.get());
    }
    return new Range(f, t);
  }

  /** A limit between 1 and {@code max}, {@code fallback} when absent. */
  public static int limit(Integer requested, int fallback, int max) {
    if (requested == null) {
      return fallback;
    }
    if (requested < 1 || requested > max) {
      throw badRequest("limit", "must be between 1 and " + max + ": " + requested);
    }
    return requested;
  }

  public static ProblemException badRequest(String field, String message) {
    return new ProblemException(
        400, "Bad Request", field + " " + message, List.of(new Problem.FieldError(field, message)));
  }

  private static String shorten(String v) {
    return v.length() > 64 ? v.substring(0, 64) + "…" : v;
  }
}
