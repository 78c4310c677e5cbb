package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.testsupport.TopicReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The foundation's thin slice across every part, as processes: ./strata up, a profile created over
 * REST, its CloudEvent on Kafka as any client reads it, the audit log listing it; a service killed
 * between commit and publish; ./strata down leaving nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {
  private static final int PROFILES = 8081;
  private static final int AUDIT = 8084;

  @BeforeAll
  static void up() throws Exception {
    Platform.strata("down");
    Platform.Result r = Platform.strata("up");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("Strata is up");
  }

  @AfterAll
  static void down() throws Exception {
    List<Long> pids = new ArrayList<>();
    for (String part :
        List.of(
            "local-stack",
            "profile-service",
            "cluster-service",
            "reconciler-service",
            "audit-service")) {
      try {
        pids.add(Platform.pid(part));
      } catch (java.io.IOException e) {
        // not running
      }
    }
    Platform.Result r = Platform.strata("down");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(pids).noneMatch(Platform::running);
    for (int port : List.of(18081, 18082, 18083, 18084, 55532, 59192)) {
      assertThat(portOpen(port)).as("port %d still open after down", port).isFalse();
    }
  }

  static String profile(String name) {
    return """
        {"name": "%s", "type": "full", "version": "1.0.0",
         "variables": [{"name": "replicas", "type": "number", "default": "2"}],
         "layers": [{"name": "web", "type": "manifest", "manifests": [{"name": "web",
           "content": "apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: web\\nspec:\\n  replicas: {{ .strata.var.replicas }}\\n"}]}]}
        """
        .formatted(name);
  }

  @Test
  @Order(1)
  @DisplayName("a second ./strata up while running says so and changes nothing")
  void secondUpChangesNothing() throws Exception {
    long before = Platform.pid("profile-service");
    Platform.Result r = Platform.strata("up");
    assertThat(r.exitCode()).isZero();
    assertThat(r.output()).contains("already running");
    assertThat(Platform.pid("profile-service")).isEqualTo(before);
  }

  @Test
  @Order(2)
  @DisplayName(
      "create a profile: a CloudEvent on strata.profile.events for any Kafka client, and in the audit log within 2 s")
  void thinSlice() throws Exception {
    String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> created =
        Platform.post(PROFILES, "/api/v1/profiles", profile(name), Platform.adminToken());
    long acceptedAt = System.nanoTime();
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Platform.JSON.readTree(created.body()).get("id").asText();

    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> auditItems(id).size() == 2);
    long toAuditMs = (System.nanoTime() - acceptedAt) / 1_000_000;
    JsonNode first = auditItems(id).get(0);
    assertThat(first.get("type").asText()).isEqualTo("io.strata.profile.ProfileCreated.v1");
    assertThat(first.get("actor").asText()).isEqualTo("admin");
    assertThat(first.get("hash").asText()).hasSize(64);
    assertThat(first.get("time").asText()).isNotBlank();
    System.out.printf("e2e: command accepted -> audit log in %d ms%n", toAuditMs);

    ConsumerRecord<String, String> record =
        TopicReader.byKey(Platform.KAFKA, "strata.profile.events", id, 1).get(0);
    assertThat(TopicReader.header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(TopicReader.header(record, "ce_type"))
        .isEqualTo("io.strata.profile.ProfileCreated.v1");
    assertThat(TopicReader.header(record, "ce_source")).isEqualTo("/strata/profile-service");
    assertThat(TopicReader.header(record, "ce_subject")).isEqualTo(id);
    assertThat(TopicReader.header(record, "ce_strataactor")).isEqualTo("admin");
    assertThat(TopicReader.header(record, "content-type")).isEqualTo("application/json");
    assertThat(record.value()).contains("\"name\":\"" + name + "\"");
  }

  @Test
  @Order(3)
  @DisplayName(
      "profile-service dies between commit and publish: after a restart the event reaches the audit log exactly once")
  void eventCommittedBeforeACrashArrivesExactlyOnce() throws Exception {
    Platform.sigkill("profile-service");
    // restart it with its relay held back, so that the next command commits but is not published
    Platform.Result held = Platform.strata(Map.of("STRATA_OUTBOX_RELAY_ENABLED", "false"), "up");
    assertThat(held.exitCode()).as(held.output()).isZero();
    assertThat(held.output()).contains("starting profile-service");

    HttpResponse<String> created =
        Platform.post(
            PROFILES,
            "/api/v1/profiles",
            profile("held-" + UUID.randomUUID().toString().substring(0, 8)),
            Platform.adminToken());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = Platform.JSON.readTree(created.body()).get("id").asText();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> auditItems(id).isEmpty());

    Platform.sigkill("profile-service"); // acknowledged to the client, never published
    Platform.Result restarted = Platform.strata("up");
    assertThat(restarted.exitCode()).as(restarted.output()).isZero();

    await().atMost(Duration.ofSeconds(10)).until(() -> auditItems(id).size() == 2);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> auditItems(id).size() == 2);
    assertThat(auditItems(id))
        .extracting(n -> n.get("aggregateSeq").asLong())
        .containsExactly(1L, 2L);
    JsonNode verify = Platform.get(AUDIT, "/api/v1/audit/verify");
    assertThat(verify.get("valid").asBoolean()).as(verify.toString()).isTrue();
  }

  @Test
  @Order(4)
  @DisplayName(
      "secure by default: the admin key is mode 600, anonymous calls get 401 on every service")
  void secureByDefault() throws Exception {
    assertThat(java.nio.file.Files.getPosixFilePermissions(Platform.HOME.resolve("admin-token")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(Platform.status(PROFILES, "/api/v1/profiles", null)).isEqualTo(401);
    assertThat(Platform.status(8082, "/api/v1/projects", null)).isEqualTo(401);
    assertThat(Platform.status(8082, "/api/v1/api-keys", null)).isEqualTo(401);
    assertThat(Platform.status(AUDIT, "/api/v1/audit/events", null)).isEqualTo(401);
    assertThat(Platform.status(PROFILES, "/api/v1/profiles", "stk_bootstrap_" + "x".repeat(43)))
        .isEqualTo(401);
    assertThat(Platform.status(AUDIT, "/q/health/ready", null)).isEqualTo(200);
    assertThat(java.nio.file.Files.readString(Platform.HOME.resolve("logs/profile-service.log")))
        .doesNotContain(Platform.adminToken());
  }

  @Test
  @Order(5)
  @DisplayName(
      "in production mode a service without an issuer or a key refuses to start, and says why")
  void refusesToStartWithoutCredentials() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Platform.ROOT
                    .resolve("profile-service/target/quarkus-app/quarkus-run.jar")
                    .toString())
            .redirectErrorStream(true);
    pb.environment().put("QUARKUS_HTTP_PORT", "18091");
    pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:55532/strata");
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", Platform.KAFKA);
    pb.environment().remove("STRATA_AUTH_BOOTSTRAP_KEY_FILE");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains("refusing to start: no way to authenticate anyone");
  }

  private static List<JsonNode> auditItems(String aggregateId) throws Exception {
    JsonNode page = Platform.get(AUDIT, "/api/v1/audit/events?aggregateId=" + aggregateId);
    List<JsonNode> out = new ArrayList<>();
    page.get("items").forEach(out::add);
    return out;
  }

  private static boolean portOpen(int port) {
    try {
      new Socket("localhost", port).close();
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
