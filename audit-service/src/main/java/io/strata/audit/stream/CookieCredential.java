package io.strata.audit.stream;

import io.strata.audit.dashboard.Session;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The browser's EventSource cannot send an Authorization header, so the live feed of the dashboard
 * presents the dashboard's session cookie instead. Only for a GET of the stream: the cookie is
 * HttpOnly and SameSite=Strict, and a GET changes nothing, so another site can neither read it nor
 * make it act. The shared filter then authenticates the key as if it had come in the header.
 */
public class CookieCredential {
  @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 10)
  public Optional<Response> fromCookie(ContainerRequestContext request) {
    if (!"GET".equals(request.getMethod())
        || !"/api/v1/audit/stream".equals(request.getUriInfo().getPath())
        || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
      return Optional.empty();
    }
    Cookie cookie = request.getCookies().get(Session.COOKIE);
    if (cookie != null && !cookie.getValue().isBlank()) {
      request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + cookie.getValue());
    }
    return Optional.empty();
  }
}
