package io.strata.audit.dashboard;

import io.strata.events.access.Role;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Caller;
import io.strata.kit.security.Credentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import java.util.Optional;

/**
 * The dashboard's login: the user pastes an API key (or a token), which is checked exactly as the
 * API checks a bearer credential and then kept in an HttpOnly, SameSite=Strict cookie. Scripts
 * cannot read it, other sites cannot send it, and it is honoured only for GETs of the dashboard and
 * the live stream, which change nothing. It is re-checked on every request, so a revoked key logs
 * the browser out at once. The key is never logged or echoed.
 */
@ApplicationScoped
public class Session {
  public static final String COOKIE = "strata_dashboard";
  private static final int MAX_AGE_SECONDS = 8 * 60 * 60;
  private final Credentials credentials;

  Session(Credentials credentials) {
    this.credentials = credentials;
  }

  /** Who the credential stands for, or why it is refused. */
  public AccessRegistry.Authentication authenticate(String token) {
    if (token == null || token.isBlank() || token.length() > 8192) {
      return new AccessRegistry.Authentication(Optional.empty(), "paste an API key or a token");
    }
    AccessRegistry.Authentication a = credentials.authenticate(token.strip());
    if (a.caller().isPresent() && !a.caller().get().hasAnywhere(Role.VIEWER)) {
      return new AccessRegistry.Authentication(
          Optional.empty(), "this credential has no role in any project");
    }
    return a;
  }

  public Optional<Caller> caller(String cookie) {
    return cookie == null ? Optional.empty() : authenticate(cookie).caller();
  }

  public static NewCookie cookie(String token, boolean secure) {
    return new NewCookie.Builder(COOKIE)
        .value(token.strip())
        .path("/")
        .httpOnly(true)
        .secure(secure)
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge(MAX_AGE_SECONDS)
        .build();
  }

  public static NewCookie expired(boolean secure) {
    return new NewCookie.Builder(COOKIE)
        .value("")
        .path("/")
        .httpOnly(true)
        .secure(secure)
        .sameSite(NewCookie.SameSite.STRICT)
        .maxAge(0)
        .build();
  }
}
