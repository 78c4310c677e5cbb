package io.strata.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.strata.kit.security.CallerContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} on POST: the first answer (2xx or 4xx) to a caller's key is stored for 24
 * hours and replayed, with {@code Idempotent-Replayed: true}, when the same caller sends the key
 * again to the same endpoint (path and query) with the same body — so a client that lost an answer
 * can retry without doing the work twice. The same key on another endpoint, or with another body
 * (compared by sha256; forms, such as multipart uploads, are not read here), is a 422: replaying
 * the first answer would tell the client that a request it did not make succeeded. A retry while
 * the first request still runs is a 409. Keys are per principal: one caller cannot see another's
 * answers.
 */
@Singleton
public class IdempotencyKeys {
  public static final String HEADER = "Idempotency-Key";
  private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);
  private static final String CLAIMED = IdempotencyKeys.class.getName() + ".claimed";
  private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,255}");

  /** A claim older than this was left by a request that never finished (a crash): retake it. */
  private static final String STALE_CLAIM = "interval '60 seconds'";

  private final AgroalDataSource dataSource;
  private final CallerContext caller;
  private final ObjectMapper json;

  IdempotencyKeys(AgroalDataSource dataSource, CallerContext caller, ObjectMapper json) {
    this.dataSource = dataSource;
    this.caller = caller;
    this.json = json;
  }

  private record Claim(String principal, String key) {}

  /** Marks an endpoint whose answer carries a secret: it is never stored, so never replayed. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  public @interface SecretAnswer {}

  @ServerRequestFilter(priority = Priorities.USER)
  public Optional<Response> claimOrReplay(
      ContainerRequestContext request, jakarta.ws.rs.container.ResourceInfo resource) {
    String key = request.getHeaderString(HEADER);
    String path = request.getUriInfo().getPath();
    if (key == null || !"POST".equals(request.getMethod()) || !path.startsWith("/api/v1/")) {
      return Optional.empty();
    }
    if (!VALID.matcher(key).matches()) {
      return Optional.of(
          problem(400, "Bad Request", HEADER + " must be 1-255 visible ASCII characters", path));
    }
    if (resource.getResourceMethod() != null
        && resource.getResourceMethod().isAnnotationPresent(SecretAnswer.class)) {
      return Optional.of(
          problem(
              400,
              "Bad Request",
              "this answer holds a secret that is shown once, so it is never stored for replay:"
                  + " send it without "
                  + HEADER,
              path));
    }
    var who = caller.caller();
    String principal = who.kind() + ":" + who.name();
    String fingerprint;
    try {
      fingerprint = bodyFingerprint(request);
    } catch (IOException e) {
      return Optional.of(problem(400, "Bad Request", "the body could not be read", path));
    }
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    path = query == null ? path : path + "?" + query;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours' OR"
                  + " (principal = ? AND key = ? AND status IS NULL AND created_at < now() - "
                  + STALE_CLAIM
                  + ")")) {
        ps.setString(1, principal);
        ps.setString(2, key);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO idempotency_keys (principal, key, method, path, body_sha256) VALUES (?,"
                  + " ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, principal);
        ps.setString(2, key);
        ps.setString(3, request.getMethod());
        ps.setString(4, path);
        ps.setString(5, fingerprint);
        if (ps.executeUpdate() == 1) {
          request.setProperty(CLAIMED, new Claim(principal, key));
          return Optional.empty();
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT path, status, content_type, body, location, etag, body_sha256 FROM"
                  + " idempotency_keys WHERE principal = ? AND key = ?")) {
        ps.setString(1, principal);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.of(
                problem(
                    409, "Conflict", "retry: the first request with this key just expired", path));
          }
          if (!path.equals(rs.getString(1))) {
            return Optional.of(
                problem(
                    422,
                    "Unprocessable Content",
                    HEADER + " was used for another request (" + rs.getString(1) + ")",
                    path));
          }
          String firstFingerprint = rs.getString(7);
          if (fingerprint != null
              && firstFingerprint != null
              && !fingerprint.equals(firstFingerprint)) {
            return Optional.of(
                problem(
                    422,
                    "Unprocessable Content",
                    HEADER + " was used for a request with another body",
                    path));
          }
          if (rs.getObject(2) == null) {
            return Optional.of(
                problem(
                    409, "Conflict", "a request with this " + HEADER + " is in progress", path));
          }
          Response.ResponseBuilder replay =
              Response.status(rs.getInt(2)).header("Idempotent-Replayed", "true");
          if (rs.getString(4) != null) {
            replay.entity(rs.getString(4)).type(rs.getString(3));
          }
          if (rs.getString(5) != null) {
            replay.header(HttpHeaders.LOCATION, rs.getString(5));
          }
          if (rs.getString(6) != null) {
            replay.header(HttpHeaders.ETAG, rs.getString(6));
          }
          return Optional.of(replay.build());
        }
      }
    } catch (SQLException e) {
      LOG.warnf("idempotency store unavailable: %s", e.getMessage());
      return Optional.of(
          problem(503, "Service Unavailable", "the idempotency store is unavailable; retry", path));
    }
  }

  @ServerResponseFilter
  public void store(ContainerRequestContext request, ContainerResponseContext response) {
    if (!(request.getProperty(CLAIMED) instanceof Claim claim)) {
      return;
    }
    int status = response.getStatus();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (status >= 500) {
        // nothing was changed: let the client retry with the same key
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM idempotency_keys WHERE principal = ? AND key = ?")) {
          ps.setString(1, claim.principal());
          ps.setString(2, claim.key());
          ps.executeUpdate();
        }
        return;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ?, location = ?,"
                  + " etag = ? WHERE principal = ? AND key = ?")) {
        Object entity = response.getEntity();
        ps.setInt(1, status);
        ps.setString(
            2, response.getMediaType() == null ? null : response.getMediaType().toString());
        ps.setString(
            3,
            entity == null
                ? null
                : entity instanceof String s ? s : json.writeValueAsString(entity));
        ps.setString(4, response.getHeaderString(HttpHeaders.LOCATION));
        ps.setString(5, response.getHeaderString(HttpHeaders.ETAG));
        ps.setString(6, claim.principal());
        ps.setString(7, claim.key());
        ps.executeUpdate();
      }
    } catch (SQLException | JsonProcessingException e) {
      LOG.warnf("could not store the answer for an %s: %s", HEADER, e.getMessage());
    }
  }

  /**
   * The sha256 of the body, which is read here and put back for the resource; {@code null} for a
   * form (multipart or url-encoded), which is parsed before filters run and is left unread. Any
   * other body is hashed whatever its {@code Content-Type} says, or if it says nothing a parser
   * understands: the resource may read it as JSON all the same.
   */
  private static String bodyFingerprint(ContainerRequestContext request) throws IOException {
    String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
    String lower = type == null ? "" : type.strip().toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
      return null;
    }
    byte[] body = request.getEntityStream().readAllBytes();
    request.setEntityStream(new ByteArrayInputStream(body));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static Response problem(int status, String title, String detail, String path) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(new Problem(null, title, status, detail, path, List.of()))
        .build();
  }
}
