package io.strata.kit.security;

import io.strata.events.access.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The first admin key, read from a file ({@code ./strata up} writes {@code .strata/admin-token},
 * mode 600; in Kubernetes a mounted Secret). It acts as {@code admin} in every project, so that an
 * installation can create its projects and keys. Only its SHA-256 is kept in memory.
 */
@ApplicationScoped
public class BootstrapKey {
  public static final String PRINCIPAL = "admin";
  private final Optional<byte[]> digest;

  BootstrapKey(@ConfigProperty(name = "strata.auth.bootstrap-key-file") Optional<String> file) {
    this.digest =
        file.filter(f -> !f.isBlank()).flatMap(BootstrapKey::read).map(BootstrapKey::sha256);
  }

  private static Optional<String> read(String file) {
    try {
      Path p = Path.of(file);
      return Files.isReadable(p) ? Optional.of(Files.readString(p).strip()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public boolean configured() {
    return digest.isPresent();
  }

  public Optional<Caller> authenticate(String token) {
    if (digest.isEmpty() || !MessageDigest.isEqual(digest.get(), sha256(token))) {
      return Optional.empty();
    }
    return Optional.of(
        new Caller(PRINCIPAL, Caller.Kind.BOOTSTRAP_KEY, Map.of(Caller.ALL_PROJECTS, Role.ADMIN)));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
