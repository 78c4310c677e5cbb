package io.strata.profile.write.uploadpack;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.kit.http.Problem.FieldError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackVerifierTest {
  @TempDir Path dir;

  private static byte[] archive(TarArchiveEntry... extra) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      byte[] chart =
          "apiVersion: v2\nname: demo\nversion: 0.1.0\n".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry file = new TarArchiveEntry("demo/Chart.yaml");
      file.setSize(chart.length);
      tar.putArchiveEntry(file);
      tar.write(chart);
      tar.closeArchiveEntry();
      for (TarArchiveEntry e : extra) {
        tar.putArchiveEntry(e);
        if (e.getSize() > 0) {
          tar.write(new byte[(int) e.getSize()]);
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private List<String> unpackErrors(byte[] content) throws IOException {
    List<FieldError> errors = new ArrayList<>();
    Path chart = PackVerifier.unpack(content, dir, errors);
    assertThat(chart == null).isEqualTo(!errors.isEmpty());
    return errors.stream().map(FieldError::message).toList();
  }

  @Test
  void a_plain_chart_unpacks() throws IOException {
    assertThat(unpackErrors(archive())).isEmpty();
    assertThat(Files.isRegularFile(dir.resolve("demo/Chart.yaml"))).isTrue();
  }

  @Test
  void device_and_pipe_entries_are_refused() throws IOException {
    TarArchiveEntry device = new TarArchiveEntry("demo/null", TarConstants.LF_CHR);
    device.setDevMajor(1);
    device.setDevMinor(3);
    assertThat(unpackErrors(archive(device)))
        .containsExactly("entry 'demo/null' is a device or pipe; charts hold files only");
    TarArchiveEntry fifo = new TarArchiveEntry("demo/pipe", TarConstants.LF_FIFO);
    assertThat(unpackErrors(archive(fifo))).hasSize(1);
  }

  @Test
  void an_entry_twice_is_refused_without_naming_server_paths() throws IOException {
    TarArchiveEntry again = new TarArchiveEntry("demo/Chart.yaml");
    again.setSize(3);
    List<String> errors = unpackErrors(archive(again));
    assertThat(errors).containsExactly("entry 'demo/Chart.yaml' appears twice");
    assertThat(PackVerifier.withoutDir("bad " + dir + "/demo/values.yaml", dir))
        .isEqualTo("bad demo/values.yaml");
  }
}
