package io.strata.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes PostgreSQL's table and index files to disk a little at a time, so that the kernel does not
 * write them all at once.
 *
 * <p>PostgreSQL grows a table by writing a page of zeros to its file; the page's content reaches
 * the file later, at a checkpoint. Nothing asks the kernel to write those zero pages, so it keeps
 * them until they are 30 s old ({@code vm.dirty_expire_centisecs}) and then writes every page of
 * the file at once. At 200 profile commands/s the platform's tables grow by about 1.2 MB/s, so
 * every 30 s some 40–60 MB went to the disk in one go, and each commit waiting for its WAL flush
 * waited behind it: 60–150 ms for every request in flight. Flushing the files that changed since
 * the last pass, every half second, writes the same data in pieces of well under a megabyte.
 * PostgreSQL still flushes everything it needs at its checkpoints; an extra flush of its files
 * changes nothing it relies on.
 */
final class DataFileWriteback {
  private static final Logger LOG = LoggerFactory.getLogger(DataFileWriteback.class);

  private final Path base;
  private FileTime since = FileTime.fromMillis(0);

  /** {@code base}: the data directory's {@code base/}, one directory per database. */
  DataFileWriteback(Path base) {
    this.base = base;
  }

  /**
   * Flushes each file changed since the previous pass (or ever, on the first); answers the files it
   * flushed. Files that PostgreSQL removes meanwhile are skipped.
   */
  List<Path> pass() {
    // a file written during this pass is seen by the next one as well: a flush too many is cheap
    FileTime started = FileTime.fromMillis(System.currentTimeMillis() - 1_000);
    List<Path> flushed = new ArrayList<>();
    try (DirectoryStream<Path> databases = Files.newDirectoryStream(base, Files::isDirectory)) {
      for (Path database : databases) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(database)) {
          for (Path file : files) {
            if (changedSince(file) && flush(file)) {
              flushed.add(file);
            }
          }
        } catch (NoSuchFileException dropped) {
          // a database dropped meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    since = started;
    return flushed;
  }

  private boolean changedSince(Path file) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.isRegularFile() && a.lastModifiedTime().compareTo(since) >= 0;
    } catch (NoSuchFileException removed) {
      return false;
    }
  }

  private static boolean flush(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(false);
      return true;
    } catch (NoSuchFileException removed) {
      return false;
    }
  }

  /**
   * Runs a pass every {@code periodMillis} on a daemon thread until the JVM ends, at the lowest
   * priority, as the broker's threads: a pass reads the attributes of every file under {@code
   * base/} (1,500 files and 2-3 % of a core on a platform that has run for a while), and nothing
   * waits for it.
   */
  Thread start(long periodMillis) {
    return Thread.ofPlatform()
        .daemon()
        .priority(Thread.MIN_PRIORITY)
        .name("postgres-data-writeback")
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  pass();
                } catch (RuntimeException e) {
                  // not fatal: the kernel writes the pages anyway, only in bursts
                  LOG.warn("writing back PostgreSQL's data files failed: {}", e.toString());
                }
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }
}
