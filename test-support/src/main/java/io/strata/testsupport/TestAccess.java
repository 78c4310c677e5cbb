package io.strata.testsupport;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.strata.events.AccessEvent;
import io.strata.events.access.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Credentials for tests, made the way production makes them: a bootstrap admin key in a file, JWTs
 * signed by a test issuer whose public key the service trusts, and API keys announced on {@code
 * strata.access.events} exactly as cluster-service announces them.
 */
public final class TestAccess {
  public static final String ISSUER = "https://issuer.strata.test";
  public static final String AUDIENCE = "strata";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static KeyPair issuerKeys;
  private static String adminToken;
  private static Path adminTokenFile;

  private TestAccess() {}

  static synchronized KeyPair issuerKeys() {
    if (issuerKeys == null) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        issuerKeys = g.generateKeyPair();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return issuerKeys;
  }

  /** The issuer's public key as PEM, for {@code strata.auth.jwt.public-key}. */
  static String issuerPublicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(issuerKeys().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----";
  }

  /** The bootstrap admin key, written once per JVM to a mode-600 file under target/. */
  public static synchronized String adminToken() {
    if (adminToken == null) {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      adminToken = "stk_bootstrap_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      try {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        adminTokenFile = Files.createTempFile(dir, "admin-token", "");
        Files.writeString(adminTokenFile, adminToken);
        Files.setPosixFilePermissions(
            adminTokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return adminToken;
  }

  static synchronized Path adminTokenFile() {
    adminToken();
    return adminTokenFile;
  }

  /** A JWT from the test issuer for {@code subject} with groups such as {@code team-a:operator}. */
  public static String jwt(String subject, String... groups) {
    return claims(subject, groups).sign(issuerKeys().getPrivate());
  }

  /** Claims to adjust (issuer, audience, expiry) before signing with {@link #sign}. */
  public static JwtClaimsBuilder claims(String subject, String... groups) {
    return Jwt.issuer(ISSUER)
        .subject(subject)
        .audience(AUDIENCE)
        .groups(Set.of(groups))
        .issuedAt(Instant.now())
        .expiresAt(Instant.now().plus(1, ChronoUnit.HOURS));
  }

  public static String sign(JwtClaimsBuilder claims) {
    return claims.sign(issuerKeys().getPrivate());
  }

  /** A JWT signed by a key the service does not trust. */
  public static String jwtSignedByStranger(String subject, String... groups) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return claims(subject, groups).sign(g.generateKeyPair().getPrivate());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Announces an API key on Kafka as cluster-service would, and returns the key. */
  public static String publishApiKey(String name, Role role, String... projects) {
    String keyId = HexFormat.of().formatHex(randomBytes(6));
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    String salt = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(16));
    publish(
        new AccessEvent.ApiKeyCreated(
            name,
            keyId,
            role,
            List.of(projects),
            Optional.empty(),
            salt,
            sha256Hex(salt + secret)));
    return "stk_" + keyId + "_" + secret;
  }

  /** Announces the revocation of {@code key} (named {@code name}) as cluster-service would. */
  public static void publishRevocation(String name, String key) {
    publish(new AccessEvent.ApiKeyRevoked(name, key.split("_")[1]));
  }

  public static void publishProject(String name, boolean shared) {
    publish(new AccessEvent.ProjectCreated(name, shared));
  }

  /** Each access aggregate's events published so far: the next one is the next in sequence. */
  private static final java.util.Map<String, Long> SEQS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static void publish(AccessEvent event) {
    TestEvents.publish(event, "default", SEQS.merge(event.aggregateId(), 1L, Long::sum));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String sha256Hex(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
