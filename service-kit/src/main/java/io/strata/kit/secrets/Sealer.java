package io.strata.kit.secrets;

import io.quarkus.runtime.LaunchMode;
import io.strata.events.ClusterId;
import io.strata.events.cluster.SealedValues;
import io.strata.kit.http.ProblemException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts kubeconfigs and sensitive variable values at rest (AES-256-GCM, a fresh nonce each, the
 * reference as associated data so a ciphertext cannot be moved to another row). The key comes from
 * {@code strata.secrets.key} (base64 of 32 bytes) or the file named by {@code
 * strata.secrets.key-file}; in production a service that uses it refuses to start without one.
 * cluster-service seals into its {@code sealed_values}; the reconciler opens from there ({@code
 * strata.secrets.table}) and nobody else: the plaintext never leaves these two processes.
 */
@Singleton
public class Sealer {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Optional<SecretKey> key;
  private final String keyId;
  private final String table;

  Sealer(
      @ConfigProperty(name = "strata.secrets.key") Optional<String> inline,
      @ConfigProperty(name = "strata.secrets.key-file") Optional<String> file,
      @ConfigProperty(name = "strata.secrets.table", defaultValue = "sealed_values") String table) {
    Optional<String> text = inline.filter(s -> !s.isBlank()).or(() -> file.map(Sealer::read));
    this.key = text.map(Sealer::decode);
    this.keyId = key.map(Sealer::fingerprint).orElse("");
    if (!table.matches("[a-z_]+(\\.[a-z_]+)?")) {
      throw new IllegalStateException("strata.secrets.table must be [schema.]table: " + table);
    }
    this.table = table;
  }

  /**
   * Called at start by the services that seal or open: in production they refuse to run without a
   * key rather than fail on the first kubeconfig.
   */
  public void requireKeyInProduction(LaunchMode mode) {
    if (mode == LaunchMode.NORMAL && key.isEmpty()) {
      throw new IllegalStateException(
          "no secrets key: set STRATA_SECRETS_KEY_FILE (or STRATA_SECRETS_KEY) to 32 random bytes,"
              + " base64; kubeconfigs and sensitive variables are encrypted with it");
    }
  }

  public boolean configured() {
    return key.isPresent();
  }

  /** Encrypts {@code plaintext} into a new row of the caller's transaction; answers its ref. */
  public String seal(Connection c, ClusterId cluster, String kind, String name, String plaintext)
      throws SQLException {
    SecretKey k =
        key.orElseThrow(
            () ->
                new ProblemException(
                    409,
                    "Conflict",
                    "this service has no secrets key configured (strata.secrets.key-file), so it"
                        + " cannot store a "
                        + kind));
    String ref = SealedValues.ref(cluster, UUID.randomUUID().toString());
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    byte[] ciphertext;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
      ciphertext = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (ref, cluster_id, kind, name, key_id, nonce, ciphertext) VALUES (?, ?, ?, ?, ?,"
                + " ?, ?)")) {
      ps.setString(1, ref);
      ps.setString(2, cluster.value());
      ps.setString(3, kind);
      ps.setString(4, name);
      ps.setString(5, keyId);
      ps.setBytes(6, nonce);
      ps.setBytes(7, ciphertext);
      ps.executeUpdate();
    }
    return ref;
  }

  /** The plaintext of {@code ref}, only for the cluster it belongs to. */
  public Optional<String> open(Connection c, ClusterId cluster, String ref) throws SQLException {
    if (key.isEmpty() || !SealedValues.belongsTo(ref, cluster)) {
      return Optional.empty();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT nonce, ciphertext FROM " + table + " WHERE ref = ? AND cluster_id = ?")) {
      ps.setString(1, ref);
      ps.setString(2, cluster.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(128, rs.getBytes(1)));
        cipher.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
        return Optional.of(new String(cipher.doFinal(rs.getBytes(2)), StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("sealed value " + ref + " does not open with this key");
      }
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the secrets key file " + file, e);
    }
  }

  private static SecretKey decode(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the secrets key is not base64");
    }
    if (raw.length != 32) {
      throw new IllegalStateException(
          "the secrets key must be 32 bytes (base64), got " + raw.length);
    }
    return new SecretKeySpec(raw, "AES");
  }

  private static String fingerprint(SecretKey k) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(k.getEncoded());
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
