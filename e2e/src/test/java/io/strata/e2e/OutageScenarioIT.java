package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The canonical outage scenario, played by {@code ./strata demo} against the platform as {@code
 * ./strata up} runs it (four services as processes, the embedded broker and database), through the
 * public REST API only: once undisturbed, once with every service SIGKILLed and restarted in the
 * middle. The demo checks each step's outcome as it narrates (it fails when one is not reached);
 * this test checks its account and, independently, the platform's state and the audit log against
 * the topics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageScenarioIT {
  private static final int CLUSTERS = 8082;
  private static final int AUDIT = 8084;
  private static final Pattern RECOVERY = Pattern.compile("time to recovery: ([0-9.]+) s");
  private static long upAt;

  @BeforeAll
  static void up() throws Exception {
    upAt = System.nanoTime();
    Platform.strata("down");
    Platform.Result r = Platform.strata("up");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @AfterAll
  static void down() throws Exception {
    Platform.strata("down");
  }

  /** Runs {@code ./strata demo}; {@code onStep} is called with each step number as it starts. */
  static String demo(java.util.function.IntConsumer onStep) throws Exception {
    Process demo = Platform.start("demo");
    StringBuilder out = new StringBuilder();
    Pattern step = Pattern.compile("^\\[step (\\d+)]");
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        System.out.println("demo | " + line);
        out.append(line).append('\n');
        Matcher m = step.matcher(line);
        if (m.find()) {
          onStep.accept(Integer.parseInt(m.group(1)));
        }
      }
    }
    assertThat(demo.waitFor(300, TimeUnit.SECONDS)).as("the demo ends").isTrue();
    assertThat(demo.exitValue()).as(out.toString()).isZero();
    return out.toString();
  }

  @Test
  @Order(1)
  @DisplayName(
      "the outage scenario: converge, break prod with 1.1.0, one bulk rollback, 1.1.1, a pending"
          + " update, drift corrected, and the audit tells it")
  void outageScenario() throws Exception {
    String out = demo(n -> {});
    // each run plays under its own names (web-stack, then web-stack-2, ...): a kept home has some
    Matcher named = Pattern.compile("\\[step 3] (web-stack(-\\d+)?) 1\\.0\\.0").matcher(out);
    assertThat(named.find()).as(out).isTrue();
    String stack = named.group(1);
    String suffix = named.group(2) == null ? "" : named.group(2);

    assertThat(out)
        .contains("all five Converged; prod-1 runs 5 replicas, prod-2 runs 2")
        .contains("prod-1 Failed: Deployment/web is not ready after 5s")
        .contains("prod-1 is back on 1.0.0 revision 1 with 5 replicas (the override survived)")
        .contains("prod on 1.1.1, all Converged; prod-1 still runs 5 replicas")
        .contains("prod-2 runs 1.1.1 revision 2")
        .contains("stage-1 runs 2 replicas again")
        .containsPattern("at the outage \\(.*\\) prod-1 ran " + stack + " 1\\.1\\.0 and was Failed")
        .contains("hash chain: valid=true")
        .contains("scenario complete");
    Matcher recovery = RECOVERY.matcher(out);
    assertThat(recovery.find()).isTrue();
    double seconds = Double.parseDouble(recovery.group(1));
    assertThat(seconds).as("rollback of the three failed clusters to Converged").isLessThan(5.0);

    // independently of the demo's account: every cluster Converged, the override in the spec
    JsonNode fleet =
        Platform.get(CLUSTERS, "/api/v1/clusters?selector=demo%3D" + stack + "&limit=50");
    assertThat(fleet.get("items")).hasSize(5);
    Map<String, JsonNode> byName = new HashMap<>();
    fleet
        .get("items")
        .forEach(
            c -> {
              String name = c.get("name").asText();
              byName.put(name.substring(0, name.length() - suffix.length()), c);
            });
    byName.values().forEach(c -> assertThat(c.at("/status/phase").asText()).isEqualTo("Converged"));
    assertThat(byName.get("prod-1").at("/spec/overrides/0/layer").asText()).isEqualTo("app");
    assertThat(byName.get("prod-1").get("pendingUpdates")).hasSize(1);
    assertThat(byName.get("prod-2").get("pendingUpdates")).isEmpty();

    // prod-1's history in order, with actors
    String prod1 = byName.get("prod-1").get("id").asText();
    JsonNode timeline =
        Platform.get(AUDIT, "/api/v1/audit/clusters/" + prod1 + "/timeline?limit=500");
    List<String> kinds = new ArrayList<>();
    timeline.get("items").forEach(s -> kinds.add(s.get("kind").asText()));
    assertThat(kinds)
        .containsSubsequence(
            "registered",
            "spec-changed",
            "reconcile-succeeded",
            "spec-changed",
            "reconcile-failed",
            "rolled-back",
            "reconcile-succeeded",
            "spec-changed",
            "reconcile-succeeded");
    timeline
        .get("items")
        .forEach(
            s ->
                assertThat(s.get("actor").asText())
                    .isIn("admin", "reconciler-service", "cluster-service"));
    double total = (System.nanoTime() - upAt) / 1e9;
    System.out.printf(
        "e2e: outage scenario %.0f s including start-up; time to recovery %.1f s%n",
        total, seconds);
    assertThat(total).as("the whole scenario with start-up").isLessThan(180);
  }

  @Test
  @Order(2)
  @DisplayName(
      "every service SIGKILLed once mid-scenario and restarted: the scenario completes, and the"
          + " audit log holds every event of the topics exactly once")
  void outageScenarioWhileServicesDie() throws Exception {
    Map<Integer, String> killAt = new LinkedHashMap<>();
    killAt.put(3, "profile-service");
    killAt.put(4, "cluster-service");
    killAt.put(7, "reconciler-service");
    killAt.put(8, "audit-service");
    List<String> killed = new ArrayList<>();
    String out =
        demo(
            n -> {
              String service = killAt.get(n);
              if (service == null) {
                return;
              }
              try {
                Platform.sigkill(service);
                killed.add(service);
                Platform.Result r = Platform.strata("up");
                assertThat(r.exitCode()).as(r.output()).isZero();
                assertThat(r.output()).contains("starting " + service);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(out).contains("scenario complete").contains("hash chain: valid=true");
    assertThat(killed).containsExactlyElementsOf(killAt.values());

    // the audit log against the topics: every event once, none twice, none missing
    Map<String, Integer> onTopics = new HashMap<>();
    for (String topic :
        List.of("strata.profile.events", "strata.cluster.events", "strata.reconcile.events")) {
      eventIds(topic).forEach(id -> onTopics.merge(id, 1, Integer::sum));
    }
    // a restarted audit-service gets its partitions once the killed member's session ends (10 s)
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(auditEventIds().keySet())
                    .as("every event of the topics")
                    .containsAll(onTopics.keySet()));
    Map<String, Integer> inAudit = auditEventIds();
    assertThat(inAudit.entrySet())
        .as("no event twice in the audit log")
        .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(1));
    JsonNode verify = Platform.get(AUDIT, "/api/v1/audit/verify");
    assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
    System.out.printf(
        "e2e: %d distinct events on the topics, each once in the audit log after %s were killed%n",
        onTopics.size(), killed);
  }

  /** Every {@code ce_id} on a topic, read from the beginning to its end. */
  static List<String> eventIds(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Platform.KAFKA);
    // what a killed producer left in an aborted transaction was never published
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<String> ids = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions =
          c.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  var h = r.headers().lastHeader("ce_id");
                  if (h != null) {
                    ids.add(new String(h.value(), StandardCharsets.UTF_8));
                  }
                });
      }
    }
    return ids;
  }

  /** How many times each event id is in the audit log. */
  static Map<String, Integer> auditEventIds() throws Exception {
    Map<String, Integer> out = new HashMap<>();
    String after = "";
    while (true) {
      JsonNode page = Platform.get(AUDIT, "/api/v1/audit/events?limit=500" + after);
      page.get("items").forEach(i -> out.merge(i.get("eventId").asText(), 1, Integer::sum));
      if (page.get("next") == null || page.get("next").isNull()) {
        return out;
      }
      after = "&after=" + page.get("next").asText();
    }
  }
}
