package io.strata.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strata.events.Topics;
import io.strata.testsupport.KafkaAndPostgresResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "profile_it"))
class ProfileServiceIT {
  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  static String minimal(String name) {
    return """
        {"name": "%s", "type": "full", "description": "web tier", "version": "1.0.0",
         "variables": [{"name": "replicas", "type": "number", "default": "2", "required": false}],
         "layers": [{"name": "web", "type": "manifest", "manifests": [{"name": "web",
           "content": "apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: web\\nspec:\\n  replicas: {{ .strata.var.replicas }}\\n"}]}]}
        """
        .formatted(name);
  }

  @Test
  @DisplayName(
      "create stores the profile through the event store and the relay publishes a ProfileCreated CloudEvent")
  void createPublishesCloudEvent() {
    String name = "web-" + UUID.randomUUID().toString().substring(0, 8);
    String id =
        given()
            .contentType(ContentType.JSON)
            .header("X-Strata-Actor", "alice")
            .body(minimal(name))
            .when()
            .post("/api/v1/profiles")
            .then()
            .statusCode(201)
            .header("Location", containsString("/api/v1/profiles/p-"))
            .body("name", equalTo(name))
            .body("type", equalTo("full"))
            .body("project", equalTo("default"))
            .body("versions[0].version", equalTo("1.0.0"))
            .body("versions[0].revision", equalTo(1))
            .body("versions[0].status", equalTo("active"))
            .extract()
            .path("id");

    assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = '" + id + "'")).isEqualTo(2);
    List<ConsumerRecord<String, String>> records = read(id, 2);
    ConsumerRecord<String, String> created = records.get(0);
    assertThat(header(created, "ce_type")).isEqualTo("io.strata.profile.ProfileCreated.v1");
    assertThat(header(created, "ce_source")).isEqualTo("/strata/profile-service");
    assertThat(header(created, "ce_strataactor")).isEqualTo("alice");
    assertThat(header(created, "ce_strataseq")).isEqualTo("1");
    assertThat(header(created, "ce_strataproject")).isEqualTo("default");
    assertThat(created.value()).contains("\"name\":\"" + name + "\"");
    assertThat(header(records.get(1), "ce_type"))
        .isEqualTo("io.strata.profile.ProfileVersionCreated.v1");
    assertThat(records.get(1).value()).contains("replicas: {{ .strata.var.replicas }}");
    await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM outbox") == 0);

    given()
        .get("/api/v1/profiles/" + id)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"2\""))
        .body("name", equalTo(name));
    given()
        .queryParam("name", name)
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("items", hasSize(1));
  }

  @Test
  void aSecondProfileWithTheSameNameIsAConflict() {
    String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
    given()
        .contentType(ContentType.JSON)
        .body(minimal(name))
        .post("/api/v1/profiles")
        .then()
        .statusCode(201);
    long before = count("SELECT count(*) FROM events");
    given()
        .contentType(ContentType.JSON)
        .body(minimal(name))
        .post("/api/v1/profiles")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString(name));
    assertThat(count("SELECT count(*) FROM events")).isEqualTo(before);
  }

  @Test
  @DisplayName("bad input gets a 4xx problem naming the field, and writes nothing")
  void badInputIsRefusedAndWritesNothing() {
    long before = count("SELECT count(*) FROM events");
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\": ")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("malformed JSON"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x\", \"layers\": \"web\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("layers"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x\", \"colour\": \"red\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("unknown field 'colour'"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x\", \"type\": \"mega\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("type"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"layers\": [{\"name\": \"a\", \"type\": \"kustomize\"}]}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("kustomize"));
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("type"))
        .body("errors.field", hasItem("version"));
    given()
        .contentType(ContentType.JSON)
        .body(minimal("../etc").replace("1.0.0", "1.0"))
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("version"));
    given()
        .contentType(ContentType.JSON)
        .body(minimal("ok-name").replace(".strata.var.replicas", ".strata.var.nope"))
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("layers[0].manifests[0].content"))
        .body("errors[0].message", containsString("nope"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"description\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("limit"));
    given()
        .contentType(ContentType.JSON)
        .header("X-Strata-Actor", "bad\u0007actor")
        .body(minimal("actor-x"))
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("X-Strata-Actor"));
    assertThat(count("SELECT count(*) FROM events")).isEqualTo(before);
  }

  @Test
  void unknownProfileIsA404Problem() {
    given()
        .get("/api/v1/profiles/p-nope")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  @DisplayName("health reflects Kafka, PostgreSQL and the relay; metrics and OpenAPI are served")
  void operationalEndpoints() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", hasItem("outbox-relay"))
        .body("checks.name", hasItem("Database connections health check"))
        .body("checks.name", hasItem("Kafka connection health check"));
    given().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
    given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/profiles"));
  }

  private long count(String sql) {
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<ConsumerRecord<String, String>> read(String key, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(Topics.PROFILE_EVENTS));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) out.add(r);
                        });
                return out.size() >= n;
              });
    }
    return out;
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
