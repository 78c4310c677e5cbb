package io.strata.profile.write.uploadpack;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.strata.events.profile.PackKind;
import io.strata.kit.http.Problem.FieldError;
import io.strata.profile.domain.ProfileValidation;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Checks an uploaded pack before it enters the registry. A Helm chart archive is unpacked safely
 * (no absolute paths, no {@code ..}, no links, bounded size and count, one chart directory) and
 * linted by the real Helm engine (helm-java); a manifests bundle must be a YAML stream of
 * Kubernetes objects.
 */
@ApplicationScoped
public class PackVerifier {
  static final int MAX_ENTRIES = 2_000;
  static final long MAX_UNPACKED = 64L * 1024 * 1024;

  /** Every problem of the content as a pack of {@code kind} uploaded as {@code version}. */
  public List<FieldError> verify(PackKind kind, byte[] content, String version) {
    return switch (kind) {
      case HELM -> verifyChart(content, version);
      case MANIFESTS -> verifyBundle(content);
    };
  }

  private List<FieldError> verifyBundle(byte[] content) {
    List<FieldError> errors = new ArrayList<>();
    String text = new String(content, StandardCharsets.UTF_8);
    ProfileValidation.kubernetesObjects("file", text, errors);
    return errors;
  }

  private List<FieldError> verifyChart(byte[] content, String version) {
    List<FieldError> errors = new ArrayList<>();
    Path dir = null;
    try {
      dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "chart-");
      Path chart = unpack(content, dir, errors);
      if (chart == null) {
        return errors;
      }
      chartVersion(chart)
          .filter(v -> !v.equals(version))
          .ifPresent(
              v ->
                  errors.add(
                      new FieldError(
                          "version",
                          "the chart's Chart.yaml says version "
                              + v
                              + "; a chart pack has its chart's version, so that "
                              + version
                              + " in a profile means the chart it names")));
      LintResult lint = new Helm(chart).lint().call();
      if (lint.isFailed()) {
        for (String m : lint.getMessages()) {
          if (m.contains("[ERROR]") || m.toLowerCase().contains("error")) {
            errors.add(new FieldError("file", "helm lint: " + withoutDir(m.strip(), dir)));
          }
        }
        if (errors.isEmpty()) {
          errors.add(
              new FieldError(
                  "file",
                  "helm lint failed: " + withoutDir(String.join("; ", lint.getMessages()), dir)));
        }
      }
      return errors;
    } catch (IOException e) {
      errors.add(
          new FieldError(
              "file",
              "is not a gzipped tar archive of a Helm chart: "
                  + withoutDir(
                      e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                      dir)));
      return errors;
    } catch (RuntimeException e) {
      errors.add(
          new FieldError(
              "file", "helm could not read the chart: " + withoutDir(e.getMessage(), dir)));
      return errors;
    } finally {
      if (dir != null) {
        delete(dir);
      }
    }
  }

  /** The version Chart.yaml gives, when it gives one (helm lint reports a missing one). */
  static java.util.Optional<String> chartVersion(Path chart) {
    try {
      Object doc = io.strata.values.Yamls.load(Files.readString(chart.resolve("Chart.yaml")));
      return doc instanceof java.util.Map<?, ?> m && m.get("version") != null
          ? java.util.Optional.of(String.valueOf(m.get("version")).strip())
          : java.util.Optional.empty();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty(); // lint says what is wrong with it
    }
  }

  /** A message without the server's directory the chart was unpacked in. */
  static String withoutDir(String message, Path dir) {
    if (message == null) {
      return "no reason given";
    }
    return dir == null ? message : message.replace(dir + "/", "").replace(dir.toString(), "");
  }

  /**
   * @return the chart directory, or null with the reasons in {@code errors}
   */
  static Path unpack(byte[] content, Path into, List<FieldError> errors) throws IOException {
    Set<String> tops = new HashSet<>();
    long total = 0;
    int count = 0;
    try (InputStream in = new ByteArrayInputStream(content);
        // the JDK reader: Helm writes a gzip extra field that commons-compress rejects
        java.util.zip.GZIPInputStream gz = new java.util.zip.GZIPInputStream(in);
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = e.getName();
        if (++count > MAX_ENTRIES) {
          errors.add(new FieldError("file", "more than " + MAX_ENTRIES + " entries"));
          return null;
        }
        if (e.isSymbolicLink() || e.isLink()) {
          errors.add(
              new FieldError(
                  "file", "entry '" + name + "' is a link; charts may not contain links"));
          return null;
        }
        Path target = into.resolve(name).normalize();
        if (name.startsWith("/") || name.contains("..") || !target.startsWith(into)) {
          errors.add(new FieldError("file", "entry '" + name + "' escapes the chart directory"));
          return null;
        }
        // commons-compress calls a device or FIFO entry a file unless asked
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
          errors.add(
              new FieldError(
                  "file", "entry '" + name + "' is a device or pipe; charts hold files only"));
          return null;
        }
        if (!e.isDirectory() && !e.isFile()) {
          errors.add(new FieldError("file", "entry '" + name + "' is not a file or directory"));
          return null;
        }
        String top = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        tops.add(top);
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        total += e.getSize();
        if (total > MAX_UNPACKED) {
          errors.add(
              new FieldError(
                  "file", "unpacks to more than " + MAX_UNPACKED / (1024 * 1024) + " MB"));
          return null;
        }
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
          errors.add(new FieldError("file", "entry '" + name + "' appears twice"));
          return null;
        }
        Files.copy(tar, target);
      }
    }
    if (tops.size() != 1) {
      errors.add(
          new FieldError(
              "file", "a chart archive holds exactly one chart directory; found " + tops));
      return null;
    }
    Path chart = into.resolve(tops.iterator().next());
    if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
      errors.add(new FieldError("file", "no Chart.yaml in " + chart.getFileName()));
      return null;
    }
    return chart;
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
