package io.strata.kit.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.strata.eventstore.ConcurrencyConflictException;
import io.strata.eventstore.EventStoreException;
import io.strata.eventstore.EventTooLargeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as {@code application/problem+json}; nothing leaks a stack trace. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  public static Response problem(
      int status, String title, String detail, UriInfo uri, List<Problem.FieldError> errors) {
    String instance = uri == null ? null : uri.getPath();
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(new Problem(null, title, status, detail, instance, errors))
        .build();
  }

  @ServerExceptionMapper
  public Response problem(ProblemException e, UriInfo uri) {
    return problem(e.status(), e.title(), e.getMessage(), uri, e.errors());
  }

  @ServerExceptionMapper
  public Response conflict(ConcurrencyConflictException e, UriInfo uri) {
    return problem(409, "Conflict", e.getMessage() + "; reload and retry", uri, List.of());
  }

  @ServerExceptionMapper
  public Response tooLarge(EventTooLargeException e, UriInfo uri) {
    return problem(413, "Content Too Large", e.getMessage(), uri, List.of());
  }

  @ServerExceptionMapper
  public Response database(EventStoreException e, UriInfo uri) {
    if (e.getCause() instanceof java.sql.SQLException sql
        && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
      // PostgreSQL stores no NUL character in text: the request's fault, and nothing was written
      return problem(
          400, "Bad Request", "text must not contain NUL characters (\\u0000)", uri, List.of());
    }
    String ref = UUID.randomUUID().toString();
    LOG.errorf(e, "database failure (ref %s)", ref);
    int status = e.isTransientFailure() ? 503 : 500;
    return problem(
        status,
        status == 503 ? "Service Unavailable" : "Internal Server Error",
        "the database failed; nothing was changed (ref " + ref + ")",
        uri,
        List.of());
  }

  /** Malformed JSON, a value of the wrong type, an unknown field: 400 naming where. */
  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e, UriInfo uri) {
    return problem(400, "Bad Request", describe(e), uri, fieldErrors(e));
  }

  /** Quarkus maps these two itself unless given exact-type mappers. */
  @ServerExceptionMapper
  public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
    return badJson(e, uri);
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonParseException e, UriInfo uri) {
    return badJson(e, uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    Response r = e.getResponse();
    if (e.getCause() instanceof JsonProcessingException json) {
      return badJson(json, uri);
    }
    String title = r.getStatusInfo().getReasonPhrase();
    return problem(r.getStatus(), title, e.getMessage(), uri, List.of());
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    if (e instanceof java.io.IOException && whileReadingAForm(e)) {
      // a truncated or malformed multipart body: the client's, not ours
      return problem(
          400, "Bad Request", "the form body could not be read: " + e.getMessage(), uri, List.of());
    }
    String ref = UUID.randomUUID().toString();
    LOG.errorf(e, "unexpected failure (ref %s)", ref);
    return problem(
        500,
        "Internal Server Error",
        "unexpected failure; nothing was changed (ref " + ref + ")",
        uri,
        List.of());
  }

  private static boolean whileReadingAForm(Exception e) {
    return Arrays.stream(e.getStackTrace())
        .anyMatch(
            f ->
                f.getClassName().contains(".multipart.")
                    || f.getClassName().endsWith(".FormBodyHandler"));
  }

  public static String describe(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "' at " + path(u);
    }
    if (e instanceof InvalidTypeIdException t) {
      return "field "
          + path(t)
          + " has unknown type '"
          + t.getTypeId()
          + "'"
          + (t.getBaseType() == null
              ? ""
              : " for " + t.getBaseType().getRawClass().getSimpleName());
    }
    if (e instanceof InvalidFormatException f) {
      return where(f)
          + " cannot be "
          + quote(f.getValue())
          + ": expected "
          + expected(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m
        && String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
      return "malformed JSON: there is more after the end of the document";
    }
    if (e instanceof MismatchedInputException m) {
      return where(m) + " has the wrong type or shape: expected " + expected(m.getTargetType());
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return "field " + path(m) + ": " + m.getOriginalMessage();
    }
    var loc = e.getLocation();
    return "malformed JSON"
        + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
        + ": "
        + e.getOriginalMessage();
  }

  private static List<Problem.FieldError> fieldErrors(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return List.of(new Problem.FieldError(path(m), describe(e)));
    }
    return List.of();
  }

  public static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private static String where(JsonMappingException e) {
    return e.getPath().isEmpty() ? "the body" : "field " + path(e);
  }

  /** What a client must send, in JSON's words: not the name of one of our classes. */
  static String expected(Class<?> c) {
    if (c == null) {
      return "another type";
    }
    if (c.isEnum()) {
      return "one of "
          + Arrays.stream(c.getEnumConstants())
              .map(ProblemMappers::jsonName)
              .collect(Collectors.joining(", "));
    }
    if (c == String.class || c == char.class || c == Character.class) {
      return "a string";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "true or false";
    }
    if (c == int.class
        || c == Integer.class
        || c == long.class
        || c == Long.class
        || c == short.class
        || c == Short.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(c) || c.isPrimitive()) {
      return "a number";
    }
    if (c.isArray() || java.util.Collection.class.isAssignableFrom(c)) {
      return "an array";
    }
    return "an object";
  }

  private static String jsonName(Object constant) {
    Enum<?> e = (Enum<?>) constant;
    try {
      JsonProperty p = e.getDeclaringClass().getField(e.name()).getAnnotation(JsonProperty.class);
      return p != null && !p.value().isEmpty() ? p.value() : e.name();
    } catch (NoSuchFieldException ex) {
      return e.name();
    }
  }

  private static String quote(Object v) {
    return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
  }
}
