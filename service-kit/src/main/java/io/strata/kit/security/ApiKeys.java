package io.strata.kit.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API key format and hashing, pure. A key is {@code stk_<keyId>_<secret>}: the key id finds the
 * stored record, the 256-bit secret is checked against {@code sha256(salt ‖ secret)}. Only the salt
 * and the hash are ever stored or sent.
 */
public final class ApiKeys {
  public static final String PREFIX = "stk_";
  private static final Pattern FORMAT = Pattern.compile("stk_([a-z0-9]{1,32})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  public record Generated(String key, String keyId, String salt, String hash) {}

  public record Parsed(String keyId, String secret) {}

  private ApiKeys() {}

  public static Generated generate() {
    String keyId = HexFormat.of().formatHex(bytes(6));
    return generate(keyId);
  }

  public static Generated generate(String keyId) {
    String secret = b64(bytes(32));
    String salt = b64(bytes(16));
    return new Generated(PREFIX + keyId + "_" + secret, keyId, salt, hash(salt, secret));
  }

  public static Optional<Parsed> parse(String token) {
    Matcher m = FORMAT.matcher(token);
    return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2))) : Optional.empty();
  }

  public static boolean looksLikeKey(String token) {
    return token.startsWith(PREFIX);
  }

  public static String hash(String salt, String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt.getBytes(StandardCharsets.US_ASCII));
      sha.update(secret.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of the stored hash with the presented secret's. */
  public static boolean matches(String salt, String expectedHash, String secret) {
    return MessageDigest.isEqual(
        expectedHash.getBytes(StandardCharsets.US_ASCII),
        hash(salt, secret).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
