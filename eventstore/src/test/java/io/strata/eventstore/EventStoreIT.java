package io.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudevents.CloudEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.Topics;
import io.strata.events.profile.ProfileType;
import io.strata.testsupport.RealKafka;
import io.strata.testsupport.RealPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The event store, the relay and the consumer against the real PostgreSQL and Kafka. */
class EventStoreIT {
  private static DataSource dataSource;
  private static String bootstrap;
  private static final CommandMetadata ALICE = new CommandMetadata("alice", "corr-1", "team-a");

  @BeforeAll
  static void migrate() throws Exception {
    dataSource = RealPostgres.dataSource("eventstore_it");
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/eventstore", "classpath:db/probe")
        .load()
        .migrate();
    bootstrap = RealKafka.bootstrapServers();
    KafkaSetup.ensureTopics(bootstrap, Topics.ALL, 3);
  }

  private static EventStore store() {
    return new EventStore(dataSource, "/strata/test");
  }

  private static ProfileCreated created(ProfileId id) {
    return new ProfileCreated(id, "p-" + id.value(), ProfileType.FULL, "", List.of(), "team-a");
  }

  private static ProfileVersionDeprecated deprecated(ProfileId id, int n) {
    return new ProfileVersionDeprecated(id, Semver.parse("1.0." + n), "n" + n);
  }

  @Test
  @DisplayName("append then load gives the events back in order with their metadata")
  void appendAndLoad() {
    EventStore store = store();
    ProfileId id = ProfileId.generate();
    store.inTransaction(
        c -> store.append(c, id.value(), 0, List.of(created(id), deprecated(id, 1)), ALICE));
    List<EventEnvelope> loaded = store.inTransaction(c -> store.load(c, id.value()));
    assertThat(loaded).extracting(EventEnvelope::seq).containsExactly(1L, 2L);
    assertThat(loaded).allSatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));
    assertThat(loaded.get(0).event()).isEqualTo(created(id));
    assertThat(loaded.get(0).project()).isEqualTo("team-a");
  }

  @Test
  @DisplayName(
      "a projection's commit and the relay's delete skip the flush wait; the session does not keep"
          + " it, and the WAL writer flushes it soon after")
  void flushedLaterStaysInItsTransaction() throws Exception {
    // one session behind every getConnection, as a pool would hand the same one out again
    try (Connection session = dataSource.getConnection()) {
      // as in production (the test server runs with the embedded library's relaxed defaults)
      try (PreparedStatement ps = session.prepareStatement("SET synchronous_commit = on")) {
        ps.execute();
      }
      DataSource oneSession = oneSession(session);
      EventStore store = new EventStore(oneSession, "/strata/test");
      ProfileId id = ProfileId.generate();

      String inside =
          store.inTransactionFlushedLater(
              c -> {
                store.append(c, id.value(), 0, List.of(created(id)), ALICE);
                return show(c, "synchronous_commit");
              });

      assertThat(inside).isEqualTo("off");
      assertThat(show(session, "synchronous_commit")).isEqualTo("on");
      EventStore.WalPosition after = store.walPosition();
      assertThat(after.inserted()).isGreaterThanOrEqualTo(after.flushed());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> store.walPosition().flushed() >= after.inserted());

      try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it")) {
        new OutboxRelay(oneSession, producer, OutboxRelay.Settings.defaults("flush-it"))
            .publishPending();
      }
      assertThat(pendingFor(Set.of(id.value()))).as("the relay's delete went through").isZero();
      assertThat(show(session, "synchronous_commit")).isEqualTo("on");
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SHOW " + setting);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A data source that hands out one session and ignores closing it. */
  private static DataSource oneSession(Connection session) {
    Connection unclosable =
        (Connection)
            java.lang.reflect.Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(session, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return (DataSource)
        java.lang.reflect.Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                return unclosable;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  @DisplayName(
      "loadAfterAll gives each aggregate's events after its sequence, at most max, in order")
  void loadAfterAllReadsOnlyTheNewerEvents() {
    EventStore store = store();
    ProfileId a = ProfileId.generate();
    ProfileId b = ProfileId.generate();
    ProfileId quiet = ProfileId.generate();
    store.inTransaction(
        c ->
            store.appendAll(
                c,
                List.of(
                    new EventStore.Append(
                        a.value(),
                        0,
                        List.of(created(a), deprecated(a, 1), deprecated(a, 2), deprecated(a, 3)),
                        ALICE),
                    new EventStore.Append(
                        b.value(), 0, List.of(created(b), deprecated(b, 1)), ALICE),
                    new EventStore.Append(quiet.value(), 0, List.of(created(quiet)), ALICE))));
    Map<String, Long> held = new java.util.LinkedHashMap<>();
    held.put(a.value(), 1L);
    held.put(b.value(), 0L);
    held.put(quiet.value(), 1L);
    held.put(ProfileId.generate().value(), 0L);

    Map<String, List<EventEnvelope>> newer =
        store.inTransaction(c -> store.loadAfterAll(c, held, 2));

    assertThat(newer).containsOnlyKeys(a.value(), b.value());
    assertThat(newer.get(a.value()))
        .extracting(EventEnvelope::event)
        .containsExactly(deprecated(a, 1), deprecated(a, 2));
    assertThat(newer.get(b.value())).extracting(EventEnvelope::seq).containsExactly(1L, 2L);
    Map<String, List<EventEnvelope>> none =
        store.inTransaction(c -> store.loadAfterAll(c, Map.of(), 2));
    assertThat(none).isEmpty();
  }

  @Test
  @DisplayName("appendAll writes several aggregates' events at once, or none of them on a conflict")
  void appendAllIsOneWriteForSeveralAggregates() {
    EventStore store = store();
    ProfileId a = ProfileId.generate();
    ProfileId b = ProfileId.generate();
    List<List<EventEnvelope>> appended =
        store.inTransaction(
            c ->
                store.appendAll(
                    c,
                    List.of(
                        new EventStore.Append(a.value(), 0, List.of(created(a)), ALICE),
                        new EventStore.Append(
                            b.value(), 0, List.of(created(b), deprecated(b, 1)), ALICE),
                        new EventStore.Append(a.value(), 1, List.of(deprecated(a, 1)), ALICE))));
    assertThat(appended).hasSize(3);
    assertThat(appended.get(1)).extracting(EventEnvelope::seq).containsExactly(1L, 2L);
    assertThat(appended.get(2)).extracting(EventEnvelope::seq).containsExactly(2L);
    List<EventEnvelope> ofA = store.inTransaction(c -> store.load(c, a.value()));
    assertThat(ofA).extracting(EventEnvelope::event).containsExactly(created(a), deprecated(a, 1));
    assertThat(
            count(
                "SELECT count(*) FROM outbox o JOIN events e USING (event_id) WHERE e.aggregate_id = ?",
                b.value()))
        .isEqualTo(2);

    // b's second append is decided on a stale sequence: nothing of the call is written
    ProfileId fresh = ProfileId.generate();
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    c ->
                        store.appendAll(
                            c,
                            List.of(
                                new EventStore.Append(
                                    fresh.value(), 0, List.of(created(fresh)), ALICE),
                                new EventStore.Append(
                                    b.value(), 1, List.of(deprecated(b, 2)), ALICE)))))
        .isInstanceOf(ConcurrencyConflictException.class)
        .hasMessageContaining(b.value());
    assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = ?", fresh.value())).isZero();
    assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = ?", b.value())).isEqualTo(2);
  }

  @Test
  @DisplayName("latest gives the snapshot and only the events after it, in one read")
  void latestIsTheSnapshotAndTheEventsAfterIt() {
    EventStore store = store();
    ProfileId id = ProfileId.generate();
    EventStore.Latest none = store.inTransaction(c -> store.latest(c, id.value()));
    assertThat(none.snapshot()).isEmpty();
    assertThat(none.newer()).isEmpty();
    assertThat(none.seq()).isZero();
    store.inTransaction(
        c -> {
          store.append(c, id.value(), 0, List.of(created(id), deprecated(id, 1)), ALICE);
          store.saveSnapshot(c, id.value(), 2, "{\"as-of\":2}");
          return store.append(
              c, id.value(), 2, List.of(deprecated(id, 2), deprecated(id, 3)), ALICE);
        });
    EventStore.Latest latest = store.inTransaction(c -> store.latest(c, id.value()));
    assertThat(latest.snapshot()).contains(new EventStore.Snapshot(2, "{\"as-of\":2}"));
    assertThat(latest.newer()).extracting(EventEnvelope::seq).containsExactly(3L, 4L);
    assertThat(latest.newer().get(0).event()).isEqualTo(deprecated(id, 2));
    assertThat(latest.newer().get(1).actor()).isEqualTo("alice");
    assertThat(latest.seq()).isEqualTo(4);
  }

  @Test
  @DisplayName(
      "two writers deciding on the same state: one wins, the other gets a conflict and writes nothing")
  void concurrentWritersConflict() throws Exception {
    EventStore store = store();
    ProfileId id = ProfileId.generate();
    store.inTransaction(c -> store.append(c, id.value(), 0, List.of(created(id)), ALICE));
    CyclicBarrier bothLoaded = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int n = w;
      writers.add(
          pool.submit(
              () ->
                  store.inTransaction(
                      c -> {
                        long seq = store.load(c, id.value()).size();
                        arrive(bothLoaded);
                        return store.append(c, id.value(), seq, List.of(deprecated(id, n)), ALICE);
                      })));
    }
    int conflicts = 0;
    for (Future<?> f : writers) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ConcurrencyConflictException.class);
        conflicts++;
      }
    }
    pool.shutdown();
    assertThat(conflicts).isEqualTo(1);
    List<EventEnvelope> after = store.inTransaction(c -> store.load(c, id.value()));
    assertThat(after).hasSize(2);
    assertThat(
            count(
                "SELECT count(*) FROM outbox o JOIN events e USING (event_id) WHERE e.aggregate_id = ?",
                id.value()))
        .isEqualTo(2);
  }

  @Test
  @DisplayName(
      "the relay publishes CloudEvents in sequence order per aggregate and empties the outbox")
  void relayPublishesInOrder() throws Exception {
    EventStore store = store();
    List<ProfileId> ids = List.of(ProfileId.generate(), ProfileId.generate(), ProfileId.generate());
    for (ProfileId id : ids) {
      store.inTransaction(c -> store.append(c, id.value(), 0, List.of(created(id)), ALICE));
    }
    for (int n = 1; n <= 10; n++) {
      for (ProfileId id : ids) {
        long seq = n;
        int v = n;
        store.inTransaction(
            c -> store.append(c, id.value(), seq, List.of(deprecated(id, v)), ALICE));
      }
    }
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it");
        OutboxRelay relay =
            new OutboxRelay(dataSource, producer, OutboxRelay.Settings.defaults("it-order"))) {
      relay.start();
      Set<String> keys = ids.stream().map(ProfileId::value).collect(Collectors.toSet());
      Map<String, List<Long>> seqs = new HashMap<>();
      List<ConsumerRecord<String, byte[]>> seen = readUntil(Topics.PROFILE_EVENTS, keys, 33);
      for (ConsumerRecord<String, byte[]> r : seen) {
        seqs.computeIfAbsent(r.key(), k -> new ArrayList<>())
            .add(Long.parseLong(header(r, "ce_strataseq")));
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_source")).isEqualTo("/strata/test");
        assertThat(header(r, "ce_strataactor")).isEqualTo("alice");
        assertThat(header(r, "ce_subject")).isEqualTo(r.key());
      }
      List<Long> expected = java.util.stream.LongStream.rangeClosed(1, 11).boxed().toList();
      assertThat(seqs).hasSize(3).allSatisfy((k, v) -> assertThat(v).isEqualTo(expected));
      await().atMost(Duration.ofSeconds(10)).until(() -> pendingFor(keys) == 0);
    }
  }

  @Test
  @DisplayName(
      "committed while the relay was down: published when it comes back, and applied exactly once even if published twice")
  void committedButNotPublishedArrivesExactlyOnce() throws Exception {
    EventStore store = store();
    ProfileId id = ProfileId.generate();
    // the relay is "killed" between commit and publish: nothing runs while the command commits
    store.inTransaction(c -> store.append(c, id.value(), 0, List.of(created(id)), ALICE));
    assertThat(pendingFor(Set.of(id.value()))).isEqualTo(1);

    String consumerName = "probe-" + UUID.randomUUID();
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it");
        EventConsumer consumer =
            new EventConsumer(
                consumerName,
                List.of(Topics.PROFILE_EVENTS),
                bootstrap,
                store(),
                EventStoreIT::probe)) {
      consumer.start();
      OutboxRelay restarted =
          new OutboxRelay(dataSource, producer, OutboxRelay.Settings.defaults("it-restart"));
      restarted.publishPending();
      await().atMost(Duration.ofSeconds(15)).until(() -> probeCount(id) == 1);

      // a relay that crashed after Kafka acknowledged but before deleting the row publishes again
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO outbox (event_id, topic) SELECT event_id, ? FROM events WHERE aggregate_id = ?")) {
        ps.setString(1, Topics.PROFILE_EVENTS);
        ps.setString(2, id.value());
        ps.executeUpdate();
      }
      restarted.publishPending();
      assertThat(readUntil(Topics.PROFILE_EVENTS, Set.of(id.value()), 2)).hasSize(2);
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> probeCount(id) == 1);
    }
  }

  @Test
  @DisplayName(
      "a record that cannot be processed goes to the dead-letter topic with its reason; the stream goes on")
  void poisonGoesToDeadLetterTopic() throws Exception {
    EventStore store = store();
    ProfileId good = ProfileId.generate();
    String poisonKey = "poison-" + UUID.randomUUID();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p)) {
      raw.send(
              new ProducerRecord<>(
                  Topics.PROFILE_EVENTS, poisonKey, "not a cloud event".getBytes()))
          .get();
    }
    store.inTransaction(c -> store.append(c, good.value(), 0, List.of(created(good)), ALICE));
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it");
        EventConsumer consumer =
            new EventConsumer(
                "probe-" + UUID.randomUUID(),
                List.of(Topics.PROFILE_EVENTS),
                bootstrap,
                store(),
                EventStoreIT::probe)) {
      new OutboxRelay(dataSource, producer, OutboxRelay.Settings.defaults("it-dlq"))
          .publishPending();
      consumer.start();
      await().atMost(Duration.ofSeconds(15)).until(() -> probeCount(good) == 1);
      List<ConsumerRecord<String, byte[]>> dead =
          readUntil(Topics.deadLetterOf(Topics.PROFILE_EVENTS), Set.of(poisonKey), 1);
      assertThat(header(dead.get(0), EventConsumer.DLQ_REASON)).startsWith("cannot decode");
      assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8))
          .isEqualTo("not a cloud event");
      assertThat(consumer.deadLetteredCount()).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "an event larger than Kafka's default 1 MB (a whole big profile version) is published and consumed")
  void bigEventsArePublished() throws Exception {
    EventStore store = store();
    ProfileId id = ProfileId.generate();
    String big = "x".repeat(3 * 1024 * 1024);
    var version =
        new io.strata.events.ProfileEvent.ProfileVersionCreated(
            id,
            Semver.parse("1.0.0"),
            1,
            "",
            List.of(),
            List.of(
                new io.strata.events.profile.Layer.ManifestLayer(
                    "big", List.of(new io.strata.events.profile.Manifest("big", big)))));
    store.inTransaction(c -> store.append(c, id.value(), 0, List.of(created(id), version), ALICE));
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it");
        EventConsumer consumer =
            new EventConsumer(
                "probe-" + UUID.randomUUID(),
                List.of(Topics.PROFILE_EVENTS),
                bootstrap,
                store(),
                EventStoreIT::probe)) {
      new OutboxRelay(dataSource, producer, OutboxRelay.Settings.defaults("it-big"))
          .publishPending();
      consumer.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> probeCount(id) == 2);
      assertThat(pendingFor(Set.of(id.value()))).isZero();
    }
  }

  @Test
  @DisplayName(
      "an event larger than the platform's limit is refused at append, and nothing is written")
  void tooLargeEventsAreRefused() {
    EventStore store = store();
    ProfileId id = ProfileId.generate();
    var huge =
        new ProfileVersionDeprecated(
            id, Semver.parse("1.0.0"), "x".repeat(KafkaSetup.MAX_EVENT_BYTES));
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    c -> store.append(c, id.value(), 0, List.of(created(id), huge), ALICE)))
        .isInstanceOf(EventTooLargeException.class)
        .hasMessageContaining("limited to");
    assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = ?", id.value())).isZero();
  }

  @Test
  @DisplayName("two relay instances: only one holds the lock and publishes")
  void onlyOneRelayLeads() throws Exception {
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it");
        OutboxRelay b =
            new OutboxRelay(dataSource, producer, OutboxRelay.Settings.defaults("it-lead"))) {
      OutboxRelay a =
          new OutboxRelay(dataSource, producer, OutboxRelay.Settings.defaults("it-lead"));
      a.start();
      await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
      b.start();
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> !b.isLeader());
      a.close(); // the leader goes away; the other takes over
      await().atMost(Duration.ofSeconds(5)).until(b::isLeader);
    }
  }

  private static void probe(Connection c, EventEnvelope e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO probe_log VALUES (?, ?, ?)")) {
      ps.setObject(1, e.id());
      ps.setString(2, e.subject());
      ps.setLong(3, e.seq());
      ps.executeUpdate();
    }
  }

  private static long probeCount(ProfileId id) {
    return count("SELECT count(*) FROM probe_log WHERE aggregate_id = ?", id.value());
  }

  private static long pendingFor(Set<String> keys) {
    return keys.stream()
        .mapToLong(
            k ->
                count(
                    "SELECT count(*) FROM outbox o JOIN events e USING (event_id) WHERE e.aggregate_id = ?",
                    k))
        .sum();
  }

  private static long count(String sql, String arg) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ConsumerRecord<String, byte[]>> readUntil(
      String topic, Set<String> keys, int atLeast) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                  if (keys.contains(r.key())) {
                    out.add(r);
                  }
                }
                return out.size() >= atLeast;
              });
    }
    return out;
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static void arrive(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
