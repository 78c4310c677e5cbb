package io.strata.reconciler.desired;

import com.marcnuri.helm.Helm;
import io.strata.values.Values;
import io.strata.values.Yamls;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Packs fetched from profile-service's registry ({@code GET
 * /api/v1/packs/{name}/{version}/content}) and kept on disk by digest — content that does not hash
 * to the pinned digest is refused — and charts rendered by the real Helm engine (helm-java: {@code
 * helm template}, offline).
 */
@Singleton
public class RegistryCharts implements Charts {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String registry;
  private final Optional<String> tokenFile;
  private final Path cache;

  RegistryCharts(
      @ConfigProperty(name = "strata.reconciler.registry-url") String registry,
      @ConfigProperty(name = "strata.reconciler.registry-token-file") Optional<String> tokenFile,
      @ConfigProperty(name = "strata.auth.bootstrap-key-file") Optional<String> bootstrapKeyFile) {
    this.registry =
        registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
    this.tokenFile = tokenFile.or(() -> bootstrapKeyFile);
    this.cache = Path.of(System.getProperty("java.io.tmpdir"), "strata-packs");
  }

  @Override
  public List<Map<String, Object>> render(
      String pack, String version, String digest, String release, Map<String, Object> values)
      throws RenderFailure {
    return HelmTemplate.render(fetch(pack, version, digest, ".tgz"), release, values, pack);
  }

  @Override
  public String bundle(String pack, String version, String digest) throws RenderFailure {
    try {
      return Files.readString(fetch(pack, version, digest, ".yaml"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RenderFailure("pack " + pack + " " + version + ": " + e.getMessage(), true);
    }
  }

  private Path fetch(String pack, String version, String digest, String suffix)
      throws RenderFailure {
    String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
    Path file = cache.resolve(hex + suffix);
    if (Files.exists(file)) {
      return file;
    }
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(
                  URI.create(registry + "/api/v1/packs/" + pack + "/" + version + "/content"))
              .timeout(Duration.ofSeconds(30));
      if (tokenFile.isPresent()) {
        request.header(
            "Authorization", "Bearer " + Files.readString(Path.of(tokenFile.get())).strip());
      }
      HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new RenderFailure(
            "pack " + pack + " " + version + ": the registry answered " + r.statusCode(),
            r.statusCode() >= 500 || r.statusCode() == 404);
      }
      String got = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
      if (!got.equals(hex)) {
        throw new RenderFailure(
            "pack " + pack + " " + version + " does not have the digest the revision pins", false);
      }
      Files.createDirectories(cache);
      Path tmp = Files.createTempFile(cache, hex, ".part");
      Files.write(tmp, r.body());
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new RenderFailure("pack " + pack + " " + version + ": " + e.getMessage(), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderFailure("interrupted", true);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code helm template} of one chart archive. */
  public static final class HelmTemplate {
    private HelmTemplate() {}

    public static List<Map<String, Object>> render(
        Path archive, String release, Map<String, Object> values, String pack)
        throws RenderFailure {
      Path valuesFile = null;
      try {
        valuesFile = Files.createTempFile("strata-values", ".yaml");
        Files.writeString(valuesFile, Values.toYaml(values));
        String yaml =
            Helm.template(archive.toString()).withName(release).withValuesFile(valuesFile).call();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : Renderer.documents("chart " + pack, yaml)) {
          out.add(o);
        }
        return out;
      } catch (IOException e) {
        throw new RenderFailure("chart " + pack + ": " + e.getMessage(), true);
      } catch (RuntimeException e) {
        throw new RenderFailure(
            "chart " + pack + " does not render: " + Yamls.firstLine(e.getMessage()), false);
      } finally {
        if (valuesFile != null) {
          try {
            Files.deleteIfExists(valuesFile);
          } catch (IOException ignored) {
            // a temp file left behind is harmless
          }
        }
      }
    }
  }
}
