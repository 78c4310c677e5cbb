package io.strata.kit.security;

import io.smallrye.jwt.build.Jwt;
import io.strata.events.AccessEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.access.Role;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What authentication costs per request, measured on the real code paths: an API key check (SHA-256
 * of salt ‖ secret, constant-time compare, map lookup) and a JWT check (signature, issuer,
 * audience, expiry on first sight; the cache afterwards). Prints p50/p99/max.
 *
 * <p>Run: {@code ./mvnw -q -pl service-kit -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.strata.kit.security.AuthBench}
 */
public final class AuthBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;

    AccessRegistry registry = new AccessRegistry("auth-bench");
    registry.fedByHand();
    ApiKeys.Generated key = ApiKeys.generate();
    var created =
        new AccessEvent.ApiKeyCreated(
            "bench",
            key.keyId(),
            Role.OPERATOR,
            List.of("team-a"),
            Optional.empty(),
            key.salt(),
            key.hash());
    registry.applyInMemory(
        new EventEnvelope(
            UUID.randomUUID(), "/bench", Instant.now(), 1, "bench", "", "default", created));
    report("API key", n, () -> registry.authenticate(key.key()));

    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair issuer = g.generateKeyPair();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(issuer.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----";
    JwtVerifier verifier =
        new JwtVerifier(
            Optional.of("https://issuer.bench"),
            Optional.of("strata"),
            Optional.empty(),
            Optional.of(pem),
            "groups",
            "sub");
    int fresh = Math.max(1, n / 100);
    String[] tokens = new String[fresh];
    for (int i = 0; i < fresh; i++) {
      tokens[i] =
          Jwt.issuer("https://issuer.bench")
              .subject("user-" + i)
              .audience("strata")
              .groups(Set.of("team-a:operator"))
              .expiresAt(Instant.now().plusSeconds(3600))
              .sign(issuer.getPrivate());
    }
    int[] next = {0};
    report("JWT, first sight (RS256 verify)", fresh, () -> verifier.verify(tokens[next[0]++]));
    report("JWT, cached", n, () -> verifier.verify(tokens[0]));
  }

  private static void report(String what, int n, Runnable call) {
    for (int i = 0; i < Math.min(n, 10_000); i++) {
      call.run(); // warm-up (only for repeatable calls; first-sight tokens are consumed once)
      if (what.startsWith("JWT, first")) {
        break;
      }
    }
    long[] t = new long[n - (what.startsWith("JWT, first") ? 1 : 0)];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      call.run();
      t[i] = System.nanoTime() - s;
    }
    Arrays.sort(t);
    System.out.printf(
        "%-34s n=%-7d p50 %7.1f us  p99 %7.1f us  max %8.1f us%n",
        what,
        t.length,
        t[t.length / 2] / 1e3,
        t[(int) (t.length * 0.99)] / 1e3,
        t[t.length - 1] / 1e3);
  }

  private AuthBench() {}
}
