package io.strata.kit.security;

import io.strata.kit.http.Problem;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /api/v1} call (an API key, the bootstrap key or a JWT in {@code
 * Authorization: Bearer}) and checks the endpoint's {@link Allow} role. Health, metrics and OpenAPI
 * are outside {@code /api/v1} and stay open. A denial is logged with the principal and the
 * endpoint, never with the credential.
 */
public class AuthFilter {
  private static final Logger LOG = Logger.getLogger(AuthFilter.class);

  private final Credentials credentials;
  private final CallerContext context;

  AuthFilter(Credentials credentials, CallerContext context) {
    this.credentials = credentials;
    this.context = context;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public Optional<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/api/v1/") && !path.equals("/api/v1")) {
      return Optional.empty();
    }
    String endpoint = request.getMethod() + " " + path;
    String header = request.getHeaderString("Authorization");
    if (header == null || header.isBlank()) {
      return deny(
          401,
          "anonymous",
          endpoint,
          "authentication required: Authorization: Bearer <API key or token>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 8192) {
      return deny(
          401,
          "anonymous",
          endpoint,
          "the Authorization header must be 'Bearer <API key or token>'");
    }
    String token = header.substring(7).strip();
    AccessRegistry.Authentication auth = credentials.authenticate(token);
    if (auth.caller().isEmpty()) {
      return deny(401, "anonymous", endpoint, auth.reason());
    }
    Caller caller = auth.caller().get();
    Allow allow = allowOf(resource);
    if (allow == null) {
      LOG.errorf("endpoint %s declares no @Allow role; refused", endpoint);
      return deny(403, caller.name(), endpoint, "this endpoint declares no role and is refused");
    }
    if (!caller.hasAnywhere(allow.value())) {
      return deny(
          403,
          caller.name(),
          endpoint,
          caller.name() + " is not " + allow.value().label() + " in any project");
    }
    context.set(caller, request.getHeaderString(CallerContext.CORRELATION_HEADER));
    return Optional.empty();
  }

  private static Allow allowOf(ResourceInfo resource) {
    Method m = resource == null ? null : resource.getResourceMethod();
    if (m == null) {
      return null;
    }
    Allow a = m.getAnnotation(Allow.class);
    return a != null ? a : resource.getResourceClass().getAnnotation(Allow.class);
  }

  private static Optional<Response> deny(
      int status, String principal, String endpoint, String reason) {
    LOG.warnf("denied %s %s: %s", principal, endpoint, reason);
    Response.ResponseBuilder r =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(
                new Problem(
                    null,
                    status == 401 ? "Unauthorized" : "Forbidden",
                    status,
                    reason,
                    endpoint.substring(endpoint.indexOf(' ') + 1),
                    List.of()));
    if (status == 401) {
      r.header("WWW-Authenticate", "Bearer realm=\"strata\"");
    }
    return Optional.of(r.build());
  }
}
