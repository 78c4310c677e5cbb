package io.strata.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.strata.events.AccessEvent;
import io.strata.events.Topics;
import io.strata.events.access.Role;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventConsumer;
import io.strata.eventstore.EventStore;
import io.strata.kit.security.ApiKeys;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.OpenApiSecurityWalk;
import io.strata.testsupport.TestAccess;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Projects and API keys: created, used, escalation refused, revoked at once. */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "cluster_it"))
class AccessIT {
  @Inject AgroalDataSource dataSource;

  static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
  }

  static RequestSpecification admin() {
    return as(TestAccess.adminToken());
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  static String project() {
    String name = unique("team");
    admin().body("{\"name\": \"" + name + "\"}").post("/api/v1/projects").then().statusCode(201);
    return name;
  }

  static String key(String name, String role, String project) {
    return admin()
        .body(
            "{\"name\": \"%s\", \"role\": \"%s\", \"projects\": [\"%s\"]}"
                .formatted(name, role, project))
        .post("/api/v1/api-keys")
        .then()
        .statusCode(201)
        .extract()
        .path("key");
  }

  @Test
  @DisplayName(
      "an admin creates a key; it is shown once, works, is listed without secrets, and the actor of its events is its name")
  void createUseList() throws Exception {
    String name = unique("ci");
    String key =
        admin()
            .body("{\"name\": \"" + name + "\", \"role\": \"admin\", \"projects\": [\"*\"]}")
            .post("/api/v1/api-keys")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/api-keys/" + name))
            .body("key", startsWith("stk_"))
            .body("role", equalTo("admin"))
            .extract()
            .path("key");
    String created = unique("proj");
    as(key)
        .body("{\"name\": \"" + created + "\", \"shared\": true}")
        .post("/api/v1/projects")
        .then()
        .statusCode(201);
    assertThat(actorOf("project:" + created)).isEqualTo(name);

    String listed =
        admin()
            .get("/api/v1/api-keys")
            .then()
            .statusCode(200)
            .body("items.name", hasItem(name))
            .extract()
            .asString();
    assertThat(listed)
        // the whole secret: it is base64url, so it may itself hold '_' (the text after the last
        // '_' was then a character or two, which the listing could contain by chance)
        .doesNotContain(io.strata.kit.security.ApiKeys.parse(key).orElseThrow().secret())
        .doesNotContain("hash")
        .doesNotContain("salt");
    admin()
        .get("/api/v1/projects")
        .then()
        .statusCode(200)
        .body("items.name", hasItem(created))
        .body("items.name", hasItem("default"));
  }

  @Test
  @DisplayName("a revoked key is refused at once")
  void revokedAtOnce() throws Exception {
    String p = project();
    String name = unique("gone");
    String key = key(name, "viewer", p);
    as(key).get("/api/v1/projects").then().statusCode(200).body("items.name", hasItem(p));
    admin().delete("/api/v1/api-keys/" + name).then().statusCode(204);
    as(key)
        .get("/api/v1/projects")
        .then()
        .statusCode(401)
        .body("detail", containsString("revoked"));
    // and stays refused while this process's access feed receives the key's events from Kafka:
    // it must not apply the creation again after the revocation
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> as(key).get("/api/v1/projects").statusCode() == 401);
    admin().delete("/api/v1/api-keys/" + name).then().statusCode(404);
  }

  @Test
  @DisplayName(
      "keys created and revoked through another replica reach this one, whichever partition they"
          + " are on")
  void keysFromAnotherReplica() throws Exception {
    String p = project();
    // another replica's work: appended to the service's database without this process's write
    // path, published by the relay; this process learns of it only from the topic. And a member
    // in the consumer group replicas used to share, holding partitions: with a shared group, the
    // keys on those partitions never reached this process.
    EventStore otherReplica = new EventStore(dataSource, "/strata/cluster-service");
    Map<String, ApiKeys.Generated> keys = new HashMap<>();
    for (int i = 0; i < 12; i++) {
      keys.put(unique("elsewhere"), ApiKeys.generate());
    }
    try (SharedGroupMember member = new SharedGroupMember("cluster-service.access")) {
      member.joined();
      keys.forEach(
          (name, k) ->
              appendElsewhere(
                  otherReplica,
                  0,
                  new AccessEvent.ApiKeyCreated(
                      name,
                      k.keyId(),
                      Role.VIEWER,
                      List.of(p),
                      Optional.empty(),
                      k.salt(),
                      k.hash())));
      awaitEveryKeyAnswers(keys.values(), 200);

      keys.forEach(
          (name, k) ->
              appendElsewhere(otherReplica, 1, new AccessEvent.ApiKeyRevoked(name, k.keyId())));
      awaitEveryKeyAnswers(keys.values(), 401);
    }
  }

  private static void appendElsewhere(EventStore store, long expectedSeq, AccessEvent event) {
    store.inTransaction(
        c ->
            store.append(
                c,
                event.aggregateId(),
                expectedSeq,
                List.of(event),
                new CommandMetadata("admin", "other-replica", "default")));
  }

  private static void awaitEveryKeyAnswers(
      java.util.Collection<ApiKeys.Generated> keys, int status) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(keys)
                    .allSatisfy(
                        k ->
                            assertThat(as(k.key()).get("/api/v1/projects").statusCode())
                                .isEqualTo(status)));
  }

  /** A consumer in a given group that holds its partitions until closed. */
  static final class SharedGroupMember implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch assigned =
        new java.util.concurrent.CountDownLatch(1);
    private volatile boolean running = true;

    SharedGroupMember(String group) {
      Properties props =
          EventConsumer.consumerProperties(
              ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
              group,
              100);
      consumer = new KafkaConsumer<>(props);
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    consumer.subscribe(List.of(Topics.ACCESS_EVENTS));
                    try {
                      while (running) {
                        consumer.poll(Duration.ofMillis(100));
                        if (!consumer.assignment().isEmpty()) {
                          assigned.countDown();
                        }
                      }
                    } catch (org.apache.kafka.common.errors.WakeupException e) {
                      // closing
                    } finally {
                      consumer.close();
                    }
                  });
    }

    /** Waits until the group gave this member partitions (or 15 s). */
    void joined() throws InterruptedException {
      assigned.await(15, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      running = false;
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        // the member's thread is a daemon; the test that closes it is ending anyway
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  @DisplayName("an expired key is refused")
  void expiredKey() {
    String p = project();
    String key =
        admin()
            .body(
                "{\"name\": \"%s\", \"role\": \"viewer\", \"projects\": [\"%s\"], \"expiresAt\": \"%s\"}"
                    .formatted(unique("brief"), p, Instant.now().plusSeconds(2)))
            .post("/api/v1/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("key");
    as(key).get("/api/v1/projects").then().statusCode(200);
    await()
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(
            () ->
                as(key)
                    .get("/api/v1/projects")
                    .then()
                    .statusCode(401)
                    .body("detail", containsString("expired")));
  }

  @Test
  @DisplayName(
      "no role escalation: operators cannot create keys; a project admin cannot grant elsewhere")
  void noEscalation() {
    String a = project();
    String b = project();
    String operator = key(unique("op"), "operator", a);
    as(operator)
        .body("{\"name\": \"x\", \"role\": \"admin\", \"projects\": [\"" + a + "\"]}")
        .post("/api/v1/api-keys")
        .then()
        .statusCode(403);
    String aAdmin = key(unique("adm"), "admin", a);
    as(aAdmin)
        .body(
            "{\"name\": \"%s\", \"role\": \"viewer\", \"projects\": [\"%s\"]}"
                .formatted(unique("v"), b))
        .post("/api/v1/api-keys")
        .then()
        .statusCode(403);
    as(aAdmin)
        .body(
            "{\"name\": \"%s\", \"role\": \"viewer\", \"projects\": [\"*\"]}"
                .formatted(unique("v")))
        .post("/api/v1/api-keys")
        .then()
        .statusCode(403);
    as(aAdmin)
        .body(
            "{\"name\": \"%s\", \"role\": \"operator\", \"projects\": [\"%s\"]}"
                .formatted(unique("v"), a))
        .post("/api/v1/api-keys")
        .then()
        .statusCode(201);
    as(aAdmin)
        .body("{\"name\": \"x-" + UUID.randomUUID().toString().substring(0, 4) + "\"}")
        .post("/api/v1/projects")
        .then()
        .statusCode(403);
    // an operator of team a is nothing in team b: b's keys are invisible to a's admin
    String bKey = unique("bk");
    key(bKey, "viewer", b);
    as(aAdmin)
        .get("/api/v1/api-keys")
        .then()
        .statusCode(200)
        .body("items.name", not(hasItem(bKey)));
    as(aAdmin).delete("/api/v1/api-keys/" + bKey).then().statusCode(404);
  }

  @Test
  @DisplayName("bad key requests are 4xx naming the field, and write nothing")
  void badInput() throws Exception {
    long before = count();
    admin()
        .body("{\"name\": \"k1\", \"role\": \"superuser\", \"projects\": [\"default\"]}")
        .post("/api/v1/api-keys")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("role"));
    admin()
        .body("{\"name\": \"k1\", \"role\": \"viewer\", \"projects\": [\"no-such-team\"]}")
        .post("/api/v1/api-keys")
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("unknown project"));
    admin()
        .body("{\"name\": \"../k1\", \"role\": \"viewer\", \"projects\": [\"a/b\"]}")
        .post("/api/v1/api-keys")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("projects[0]"));
    admin()
        .body("{\"name\": \"k1\", \"role\": \"viewer\", \"projects\": []}")
        .post("/api/v1/api-keys")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("projects"));
    admin()
        .body(
            "{\"name\": \"k1\", \"role\": \"viewer\", \"projects\": [\"default\"], \"expiresAt\": \"2001-01-01T00:00:00Z\"}")
        .post("/api/v1/api-keys")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("expiresAt"));
    admin().body("{\"name\": \"../etc\"}").post("/api/v1/projects").then().statusCode(422);
    admin().body("{\"name\": \"default\"}").post("/api/v1/projects").then().statusCode(409);
    assertThat(count()).isEqualTo(before);
  }

  @Test
  @DisplayName("every /api/v1 operation refuses anonymous calls (401) and viewers' writes (403)")
  void openApiWalk() throws Exception {
    String base = RestAssured.baseURI + ":" + RestAssured.port;
    String viewer = key(unique("walker"), "viewer", "default");
    assertThat(OpenApiSecurityWalk.operations(base)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(OpenApiSecurityWalk.anonymousNot401(base)).isEmpty();
    assertThat(OpenApiSecurityWalk.viewerWritesNot403(base, viewer)).isEmpty();
  }

  private String actorOf(String aggregateId) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT actor FROM events WHERE aggregate_id = ?")) {
      ps.setString(1, aggregateId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private long count() throws Exception {
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM events")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
