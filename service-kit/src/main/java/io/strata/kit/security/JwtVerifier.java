package io.strata.kit.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.strata.events.access.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies OIDC / JWT bearer tokens for people: signature (a PEM or JWK(S) public key, from a file,
 * a URL — JWKS is cached and refreshed — or inline), issuer, audience, expiry. Role bindings come
 * from a configurable claim whose entries are {@code <project>:<role>} or a bare {@code <role>} for
 * every project. Verified tokens are cached until they expire.
 */
@ApplicationScoped
public class JwtVerifier {
  private final Optional<String> issuer;
  private final Optional<DefaultJWTParser> parser;
  private final String rolesClaim;
  private final String principalClaim;

  private record Verified(Caller caller, Instant expiresAt) {}

  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  JwtVerifier(
      @ConfigProperty(name = "strata.auth.jwt.issuer") Optional<String> issuer,
      @ConfigProperty(name = "strata.auth.jwt.audience") Optional<String> audience,
      @ConfigProperty(name = "strata.auth.jwt.public-key-location") Optional<String> keyLocation,
      @ConfigProperty(name = "strata.auth.jwt.public-key") Optional<String> keyContent,
      @ConfigProperty(name = "strata.auth.jwt.roles-claim", defaultValue = "groups")
          String rolesClaim,
      @ConfigProperty(name = "strata.auth.jwt.principal-claim", defaultValue = "sub")
          String principalClaim) {
    this.issuer = issuer.filter(s -> !s.isBlank());
    this.rolesClaim = rolesClaim;
    this.principalClaim = principalClaim;
    if (this.issuer.isPresent() && (keyLocation.isPresent() || keyContent.isPresent())) {
      JWTAuthContextInfo info = new JWTAuthContextInfo();
      info.setIssuedBy(this.issuer.get());
      keyLocation.ifPresent(info::setPublicKeyLocation);
      keyContent.ifPresent(info::setPublicKeyContent);
      audience
          .filter(a -> !a.isBlank())
          .ifPresent(a -> info.setExpectedAudience(Set.of(a.split(","))));
      info.setGroupsPath(rolesClaim);
      info.setClockSkew(30);
      info.setJwksRefreshInterval(60);
      this.parser = Optional.of(new DefaultJWTParser(info));
    } else {
      this.parser = Optional.empty();
    }
  }

  public boolean enabled() {
    return parser.isPresent();
  }

  public AccessRegistry.Authentication verify(String token) {
    if (parser.isEmpty()) {
      return AccessRegistry.Authentication.refused(
          "bearer tokens are not accepted here: no issuer is configured (strata.auth.jwt.issuer)");
    }
    Verified cached = verified.get(token);
    if (cached != null && Instant.now().isBefore(cached.expiresAt())) {
      return AccessRegistry.Authentication.ok(cached.caller());
    }
    JsonWebToken jwt;
    try {
      jwt = parser.get().parse(token);
    } catch (ParseException e) {
      return AccessRegistry.Authentication.refused("invalid token: " + reason(e));
    }
    Object subject = jwt.getClaim(principalClaim);
    if (subject == null || subject.toString().isBlank()) {
      return AccessRegistry.Authentication.refused("token has no '" + principalClaim + "' claim");
    }
    Map<String, Role> bindings = new HashMap<>();
    for (String entry : groups(jwt)) {
      int colon = entry.lastIndexOf(':');
      String project = colon < 0 ? Caller.ALL_PROJECTS : entry.substring(0, colon);
      Optional<Role> role = Role.fromLabel(colon < 0 ? entry : entry.substring(colon + 1));
      role.ifPresent(r -> bindings.merge(project, r, (a, b) -> a.includes(b) ? a : b));
    }
    Caller caller = new Caller(subject.toString(), Caller.Kind.JWT, bindings);
    if (verified.size() > 10_000) {
      verified.clear();
    }
    verified.put(token, new Verified(caller, Instant.ofEpochSecond(jwt.getExpirationTime())));
    return AccessRegistry.Authentication.ok(caller);
  }

  private Collection<String> groups(JsonWebToken jwt) {
    Set<String> groups = jwt.getGroups();
    return groups == null ? Set.of() : groups;
  }

  private static String reason(ParseException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String m = String.valueOf(root.getMessage());
    if (m.contains("expired") || m.contains("Expiration")) {
      return "expired";
    }
    if (m.contains("iss") && m.contains("Issuer")) {
      return "wrong issuer";
    }
    if (m.toLowerCase().contains("audience") || m.contains("aud")) {
      return "wrong audience";
    }
    if (m.toLowerCase().contains("signature")) {
      return "bad signature";
    }
    return "not a valid JWT for this issuer";
  }
}
