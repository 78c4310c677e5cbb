package io.strata.kit.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} lists every field-level problem of one request, so a
 * client fixes them all at once.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One problem with one field; {@code field} is a JSON path such as {@code layers[2].values}. */
  public record FieldError(String field, String message) {}

  public Problem {
    type = type == null ? "about:blank" : type;
    errors = errors == null ? List.of() : List.copyOf(errors);
  }
}
