package io.strata.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileWritebackTest {
  @TempDir Path base;

  @Test
  void flushesEveryFileAtFirstThenOnlyTheFilesChangedSinceThePreviousPass() throws Exception {
    Path strata = Files.createDirectories(base.resolve("16384"));
    Path template = Files.createDirectories(base.resolve("1"));
    Path events = Files.write(strata.resolve("16951"), new byte[8192]);
    Path index = Files.write(strata.resolve("16958"), new byte[8192]);
    Path catalog = Files.write(template.resolve("1259"), new byte[8192]);
    Files.createDirectories(strata.resolve("pgsql_tmp"));
    DataFileWriteback writeback = new DataFileWriteback(base);

    assertThat(writeback.pass()).containsExactlyInAnyOrder(events, index, catalog);

    // files last written before the previous pass are left alone; one written since is flushed
    FileTime past = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
    for (Path file : new Path[] {events, index, catalog}) {
      Files.setLastModifiedTime(file, past);
    }
    Files.write(index, new byte[16384]);

    assertThat(writeback.pass()).containsExactly(index);
  }

  @Test
  void aDataDirectoryWithoutDatabasesIsNothingToDo() {
    assertThat(new DataFileWriteback(base).pass()).isEmpty();
  }
}
