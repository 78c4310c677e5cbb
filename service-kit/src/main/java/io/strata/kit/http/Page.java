package io.strata.kit.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A page of a list and the opaque cursor of the next one ({@code null} on the last page). Callers
 * fetch {@code limit + 1} rows so that the extra row tells whether there is a next page.
 */
public record Page<T>(List<T> items, String next) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static int limit(Integer requested) {
    if (requested == null) {
      return DEFAULT_LIMIT;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw new ProblemException(
          400, "Bad Request", "limit must be between 1 and " + MAX_LIMIT + ": " + requested);
    }
    return requested;
  }

  public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> key) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<T> items = rows.subList(0, limit);
    return new Page<>(List.copyOf(items), encode(key.apply(items.get(limit - 1))));
  }

  public static String encode(String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  public static String decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, "Bad Request", "after is not a cursor this API returned");
    }
  }
}
