// Audit ingest and read benchmark, in one JVM with the real pieces: the in-JVM Kafka broker and
// embedded PostgreSQL of test-support, audit-service's own ingest (Kafka -> log + projections in one
// transaction per poll), its queries and its streaming export.
//
//   ./mvnw -B -q -o -pl audit-service test-compile dependency:build-classpath \
//       -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
//   java -cp "$(cat audit-service/target/bench.classpath):audit-service/target/classes" \
//       bench/AuditBench.java [events=200000] [clusters=2000] [fillerRows=5000000]
//
// 1. publishes `events` cluster and reconcile events (spec changes, reconcile started/succeeded/
//    failed, drift) for `clusters` clusters, then times their ingest into the log and projections;
// 2. adds `fillerRows` synthetic rows to the timeline and spec tables (and to the log), so that the
//    queries run against tables of that size, and times timeline and time-travel queries (p50/p99);
// 3. times a CSV export of 100,000 records through the streaming exporter, with the heap it used.
import io.cloudevents.CloudEvent;
import io.strata.audit.export.Exporter;
import io.strata.audit.ingest.AuditIngest;
import io.strata.audit.ingest.IngestWriter;
import io.strata.audit.log.AuditLog;
import io.strata.audit.timeline.ClusterViews;
import io.strata.events.ClusterId;
import io.strata.events.CloudEventCodec;
import io.strata.events.DomainEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.Topics;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.KafkaSetup;
import io.strata.testsupport.RealKafka;
import io.strata.testsupport.RealPostgres;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

public class AuditBench {
  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int clusters = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    long filler = args.length > 2 ? Long.parseLong(args[2]) : 5_000_000;
    String db = "audit_bench_" + Long.toHexString(System.nanoTime() & 0xffffff);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(RealPostgres.jdbcUrl(db));
    ds.setUser(RealPostgres.username());
    ds.setPassword(RealPostgres.password());
    ds.setReWriteBatchedInserts(true);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    String kafka = RealKafka.bootstrapServers();
    KafkaSetup.ensureTopics(kafka, Topics.ALL, 12);

    // --- 1. ingest -------------------------------------------------------------------------
    String[] ids = new String[clusters];
    for (int i = 0; i < clusters; i++) ids[i] = "c-" + UUID.randomUUID();
    Instant t0 = Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    long tp = System.nanoTime();
    try (Producer<String, CloudEvent> p = KafkaSetup.eventProducer(kafka, "audit-bench")) {
      long[] gen = new long[clusters];
      for (int n = 0; n < events; n++) {
        int c = n % clusters;
        int round = n / clusters;
        Instant at = t0.plusSeconds(round * 60L).plusMillis(c % 1000);
        DomainEvent e = event(ids[c], round, gen, c);
        EventEnvelope env = new EventEnvelope(UUID.randomUUID(), "/strata/bench", at, round + 1,
            round % 5 == 1 ? "alice" : "reconciler", "", "default", e);
        var sent = p.send(new ProducerRecord<>(env.topic(), env.subject(), CloudEventCodec.toCloudEvent(env)));
        if (n == 0) sent.get(); // fail fast: the broker must take the first one
      }
      p.flush();
    }
    System.out.printf("published %,d events for %,d clusters in %.1f s%n", events, clusters, (System.nanoTime() - tp) / 1e9);

    EventStore store = new EventStore(pooled(RealPostgres.jdbcUrl(db)), "/strata/audit-service");
    AuditLog log = new AuditLog();
    long ti = System.nanoTime();
    long first = 0;
    long firstCount = 0;
    try (AuditIngest ingest = new AuditIngest("audit-bench-" + db, kafka, Topics.ALL, new IngestWriter(store, log), r -> {})) {
      ingest.start();
      while (ingest.appendedCount() < events) {
        if (first == 0 && ingest.appendedCount() > 0) {
          first = System.nanoTime(); // the consumer has joined its group and committed a batch
          firstCount = ingest.appendedCount();
        }
        Thread.sleep(10);
      }
      long tEnd = System.nanoTime();
      double secs = (tEnd - ti) / 1e9;
      double steady = (tEnd - first) / 1e9;
      System.out.printf("ingest into log + projections: %,d events in %.1f s from start (group join included);"
          + " after the first batch %,.0f events/s%n", events, secs, (events - firstCount) / steady);
      latency(kafka, ds, ids);
    }

    // --- 2. queries on large tables ---------------------------------------------------------
    long tf = System.nanoTime();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      // other clusters' history, as a fleet that has run for a long time has
      s.execute("INSERT INTO audit_cluster_timeline SELECT 1000000000 + g, 'filler-' || (g % 50000),"
          + " now() - (g || ' seconds')::interval, 'reconcile-succeeded', g % 100, 'reconciler', '', 'Converged', 1, 1, '{}'::jsonb"
          + " FROM generate_series(1, " + filler + ") g");
      s.execute("INSERT INTO audit_cluster_specs SELECT 'filler-' || (g % 50000), 1000000000 + g, g, now() - (g || ' seconds')::interval,"
          + " 'alice', 'attach', '{\"generation\":1,\"profiles\":[],\"variables\":{},\"overrides\":[]}'::jsonb"
          + " FROM generate_series(1, " + filler / 5 + ") g");
      s.execute("INSERT INTO audit_log (seq, event_id, type, aggregate_type, aggregate_id, aggregate_seq, actor, project,"
          + " correlation_id, source, occurred_at, data, prev_hash, hash, topic, flag)"
          + " SELECT 1000000000 + g, md5(g::text)::uuid, 'io.strata.reconcile.ReconcileSucceeded.v1', 'reconcile',"
          + " 'filler-' || (g % 50000), g, 'reconciler', 'default', '', '/bench', now() - (g || ' seconds')::interval,"
          + " '{\"generation\":1}'::jsonb, '', '', 'strata.reconcile.events', '' FROM generate_series(1, " + filler + ") g");
      s.execute("ANALYZE");
    }
    System.out.printf("filler: %,d timeline rows, %,d spec rows, %,d log rows in %.1f s%n", filler, filler / 5, filler, (System.nanoTime() - tf) / 1e9);

    int queries = 2000;
    long[] timeline = new long[queries];
    long[] travel = new long[queries];
    try (Connection c = ds.getConnection()) {
      for (int i = -200; i < queries; i++) {
        String id = ids[ThreadLocalRandom.current().nextInt(clusters)];
        long a = System.nanoTime();
        ClusterViews.Cluster cl = ClusterViews.cluster(c, id).orElseThrow();
        ClusterViews.timeline(c, id, ClusterViews.Position.START, 1000);
        long b = System.nanoTime();
        Instant when = t0.plusSeconds(ThreadLocalRandom.current().nextLong(60L * (events / clusters)));
        ClusterViews.stateAt(c, cl, when);
        long d = System.nanoTime();
        if (i >= 0) { timeline[i] = b - a; travel[i] = d - b; }
      }
    }
    report("timeline (cluster + all steps, " + events / clusters + " each)", timeline);
    report("time travel (state?at=)", travel);

    // --- 3. export -------------------------------------------------------------------------
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    long[] peak = {heapBefore};
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
        try { Thread.sleep(5); } catch (InterruptedException e) { return; }
      }
    });
    long[] bytes = {0};
    OutputStream sink = new OutputStream() {
      @Override public void write(int b) { bytes[0]++; }
      @Override public void write(byte[] b, int off, int len) { bytes[0] += len; }
    };
    long te = System.nanoTime();
    long written;
    try (Connection c = ds.getConnection()) {
      AuditLog.Filter f = new AuditLog.Filter(null, null, null, null, null, 1_000_000_000L, Set.of(), true);
      // 100,000 records: the filler rows after seq 1e9, cut by a time range that holds that many
      try (Statement s = c.createStatement(); var rs = s.executeQuery(
          "SELECT occurred_at FROM audit_log WHERE seq = " + (1_000_000_000L + Math.min(100_000, filler)))) {
        rs.next();
        Instant from = rs.getTimestamp(1).toInstant();
        f = new AuditLog.Filter(null, null, null, from, null, 1_000_000_000L, Set.of(), true);
      }
      written = Exporter.write(c, f, true, sink, EventJson.mapper());
    }
    double es = (System.nanoTime() - te) / 1e9;
    sampler.interrupt();
    System.out.printf("export CSV: %,d records, %,d MB in %.2f s; heap grew at most %,d MB during it%n",
        written, bytes[0] >> 20, es, (peak[0] - heapBefore) >> 20);
    System.exit(0);
  }

  /** A cluster's life in rounds: registered, then spec changes and their reconciles, some drift and failure. */
  static DomainEvent event(String id, int round, long[] gen, int c) {
    String profile = "p-00000000-0000-4000-8000-000000000001";
    if (round == 0) {
      gen[c] = 1;
      return json("io.strata.cluster.ClusterRegistered.v1", Map.of("clusterId", id, "name", "bench-" + c, "labels", Map.of(),
          "target", Map.of("kind", "simulated", "credentialsRef", ""), "spec", spec(1, profile), "project", "default"));
    }
    return switch (round % 5) {
      case 1 -> { gen[c]++; yield json("io.strata.cluster.ClusterProfilesAttached.v1",
          Map.of("clusterId", id, "spec", spec(gen[c], profile), "reason", "upgrade")); }
      case 2 -> json("io.strata.reconcile.ReconcileStarted.v1", Map.of("clusterId", id, "generation", gen[c], "desiredDigest", "d"));
      case 3 -> c % 10 == 0
          ? json("io.strata.reconcile.ReconcileFailed.v1", Map.of("clusterId", id, "generation", gen[c], "desiredDigest", "d",
              "objects", List.of(), "durationMs", 5, "error", "not ready", "retryable", true))
          : json("io.strata.reconcile.ReconcileSucceeded.v1", Map.of("clusterId", id, "generation", gen[c], "desiredDigest", "d",
              "objects", List.of(), "durationMs", 5));
      default -> c % 7 == 0
          ? json("io.strata.reconcile.DriftDetected.v1", Map.of("clusterId", id, "generation", gen[c], "objects", List.of(), "corrected", true))
          : json("io.strata.reconcile.ReconcileSucceeded.v1", Map.of("clusterId", id, "generation", gen[c], "desiredDigest", "d",
              "objects", List.of(), "durationMs", 5));
    };
  }

  /** One event at a time: acknowledged by the broker -> committed in the audit log (p50/p99). */
  static void latency(String kafka, PGSimpleDataSource ds, String[] ids) throws Exception {
    int n = 300;
    long[] took = new long[n];
    try (Producer<String, CloudEvent> p = KafkaSetup.eventProducer(kafka, "audit-bench-latency");
        Connection c = ds.getConnection();
        var ps = c.prepareStatement("SELECT 1 FROM audit_log WHERE event_id = ?")) {
      for (int i = -30; i < n; i++) {
        String id = ids[ThreadLocalRandom.current().nextInt(ids.length)];
        EventEnvelope env = new EventEnvelope(UUID.randomUUID(), "/strata/bench", Instant.now(), 1, "alice", "", "default",
            json("io.strata.reconcile.ReconcileStarted.v1", Map.of("clusterId", id, "generation", 1, "desiredDigest", "d")));
        p.send(new ProducerRecord<>(env.topic(), env.subject(), CloudEventCodec.toCloudEvent(env))).get();
        long sent = System.nanoTime();
        ps.setObject(1, env.id());
        while (true) {
          try (var rs = ps.executeQuery()) {
            if (rs.next()) break;
          }
          Thread.sleep(0, 200_000);
        }
        if (i >= 0) took[i] = System.nanoTime() - sent;
      }
    }
    report("published -> in the audit log (one at a time)", took);
  }

  static Map<String, Object> spec(long g, String profile) {
    return Map.of("generation", g, "profiles", List.of(Map.of("profileId", profile, "name", "web", "version", "1.0.0", "revision", 1)),
        "variables", Map.of("replicas", "3"), "overrides", List.of());
  }

  static DomainEvent json(String type, Map<String, ?> data) {
    try {
      return EventJson.fromBytes(type, EventJson.mapper().writeValueAsBytes(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Agroal, the pool the service reads through, over the benchmark's database. */
  static javax.sql.DataSource pooled(String url) throws java.sql.SQLException {
    return io.agroal.api.AgroalDataSource.from(
        new io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier()
            .connectionPoolConfiguration(cp -> cp.maxSize(4).connectionFactoryConfiguration(cf -> cf
                .jdbcUrl(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true")
                .principal(new io.agroal.api.security.NamePrincipal(RealPostgres.username()))
                .credential(new io.agroal.api.security.SimplePassword(RealPostgres.password())))));
  }

  static void report(String what, long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    System.out.printf("%-48s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", what,
        s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
  }
}
