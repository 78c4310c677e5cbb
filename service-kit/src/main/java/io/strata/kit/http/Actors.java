package io.strata.kit.http;

import io.strata.eventstore.CommandMetadata;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who made a request. Until authentication lands this is the {@code X-Strata-Actor} header, or
 * {@code anonymous}; the correlation id is {@code X-Correlation-Id} or a new one.
 */
public final class Actors {
  public static final String ACTOR_HEADER = "X-Strata-Actor";
  public static final String CORRELATION_HEADER = "X-Correlation-Id";
  private static final Pattern PRINTABLE = Pattern.compile("[\\p{L}\\p{N}._@:/+ -]{1,128}");

  private Actors() {}

  public static CommandMetadata metadata(HttpHeaders headers, String project) {
    return new CommandMetadata(actor(headers), correlation(headers), project);
  }

  public static String actor(HttpHeaders headers) {
    String actor = headers.getHeaderString(ACTOR_HEADER);
    if (actor == null || actor.isBlank()) {
      return "anonymous";
    }
    actor = actor.strip();
    if (!PRINTABLE.matcher(actor).matches()) {
      throw new ProblemException(
          400, "Bad Request", ACTOR_HEADER + " must be 1-128 letters, digits, spaces or ._@:/+-");
    }
    return actor;
  }

  private static String correlation(HttpHeaders headers) {
    String c = headers.getHeaderString(CORRELATION_HEADER);
    return c == null || c.isBlank() || c.length() > 128 ? UUID.randomUUID().toString() : c.strip();
  }
}
