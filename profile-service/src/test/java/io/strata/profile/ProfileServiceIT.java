package io.strata.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.strata.events.Topics;
import io.strata.events.access.Role;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.OpenApiSecurityWalk;
import io.strata.testsupport.TestAccess;
import io.strata.testsupport.TopicReader;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  static io.restassured.specification.RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + TestAccess.adminToken());
  }

  static io.restassured.specification.RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }

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
        admin()
            .contentType(ContentType.JSON)
            .header("X-Strata-Actor", "mallory")
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
    List<ConsumerRecord<String, String>> records =
        TopicReader.byKey(bootstrap, Topics.PROFILE_EVENTS, id, 2);
    ConsumerRecord<String, String> created = records.get(0);
    assertThat(TopicReader.header(created, "ce_type"))
        .isEqualTo("io.strata.profile.ProfileCreated.v1");
    assertThat(TopicReader.header(created, "ce_source")).isEqualTo("/strata/profile-service");
    // the authenticated principal is the actor; X-Strata-Actor is ignored
    assertThat(TopicReader.header(created, "ce_strataactor")).isEqualTo("admin");
    assertThat(TopicReader.header(created, "ce_strataseq")).isEqualTo("1");
    assertThat(TopicReader.header(created, "ce_strataproject")).isEqualTo("default");
    assertThat(created.value()).contains("\"name\":\"" + name + "\"");
    assertThat(TopicReader.header(records.get(1), "ce_type"))
        .isEqualTo("io.strata.profile.ProfileVersionCreated.v1");
    assertThat(records.get(1).value()).contains("replicas: {{ .strata.var.replicas }}");
    await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM outbox") == 0);

    admin()
        .get("/api/v1/profiles/" + id)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"2\""))
        .body("name", equalTo(name));
    admin()
        .queryParam("name", name)
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("items", hasSize(1));
  }

  @Test
  void aSecondProfileWithTheSameNameIsAConflict() {
    String name = "dup-" + UUID.randomUUID().toString().substring(0, 8);
    admin()
        .contentType(ContentType.JSON)
        .body(minimal(name))
        .post("/api/v1/profiles")
        .then()
        .statusCode(201);
    long before = count("SELECT count(*) FROM events");
    admin()
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
    admin()
        .contentType(ContentType.JSON)
        .body("{\"name\": ")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("malformed JSON"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x\", \"layers\": \"web\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("layers"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x\", \"colour\": \"red\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("unknown field 'colour'"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"name\": \"x\", \"type\": \"mega\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("type"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"layers\": [{\"name\": \"a\", \"type\": \"kustomize\"}]}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("detail", containsString("kustomize"));
    admin()
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("type"))
        .body("errors.field", hasItem("version"));
    admin()
        .contentType(ContentType.JSON)
        .body(minimal("../etc").replace("1.0.0", "1.0"))
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("version"));
    admin()
        .contentType(ContentType.JSON)
        .body(minimal("ok-name").replace(".strata.var.replicas", ".strata.var.nope"))
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("layers[0].manifests[0].content"))
        .body("errors[0].message", containsString("nope"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"description\": \"" + "x".repeat(13 * 1024 * 1024) + "\"}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("detail", containsString("limit"));
    admin()
        .contentType(ContentType.JSON)
        .body(
            minimal("ghost")
                .replace("\"type\": \"full\"", "\"project\": \"nowhere\", \"type\": \"full\""))
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("project"));
    assertThat(count("SELECT count(*) FROM events")).isEqualTo(before);
  }

  @Test
  @DisplayName("every /api/v1 operation refuses anonymous calls (401) and viewers' writes (403)")
  void openApiWalk() throws Exception {
    String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
    String viewer =
        TestAccess.publishApiKey(
            "viewer-" + UUID.randomUUID().toString().substring(0, 8), Role.VIEWER, "*");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> as(viewer).get("/api/v1/profiles").then().statusCode(200));
    assertThat(OpenApiSecurityWalk.operations(base)).isNotEmpty();
    assertThat(OpenApiSecurityWalk.anonymousNot401(base)).isEmpty();
    assertThat(OpenApiSecurityWalk.viewerWritesNot403(base, viewer)).isEmpty();
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  @DisplayName(
      "JWTs: the subject is the actor; expired, wrongly signed, wrong issuer or audience, malformed are 401")
  void jwtBearerTokens() {
    String name = "jwt-" + UUID.randomUUID().toString().substring(0, 8);
    as(TestAccess.jwt("carol@example.com", "admin"))
        .contentType(ContentType.JSON)
        .body(minimal(name))
        .post("/api/v1/profiles")
        .then()
        .statusCode(201)
        .body("createdBy", equalTo("carol@example.com"));
    long before = count("SELECT count(*) FROM events");
    String expired =
        TestAccess.sign(
            TestAccess.claims("carol", "admin")
                .issuedAt(java.time.Instant.now().minusSeconds(7200))
                .expiresAt(java.time.Instant.now().minusSeconds(3600)));
    String wrongIssuer =
        TestAccess.sign(TestAccess.claims("carol", "admin").issuer("https://evil.example"));
    String wrongAudience =
        TestAccess.sign(TestAccess.claims("carol", "admin").audience("someone-else"));
    for (String bad :
        List.of(
            expired,
            wrongIssuer,
            wrongAudience,
            TestAccess.jwtSignedByStranger("carol", "admin"),
            "not.a.jwt",
            "stk_nope_" + "a".repeat(43))) {
      as(bad)
          .contentType(ContentType.JSON)
          .body(minimal("x-" + UUID.randomUUID().toString().substring(0, 8)))
          .post("/api/v1/profiles")
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .header("WWW-Authenticate", containsString("Bearer"))
          .body("detail", not(containsString(bad)));
    }
    given()
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .get("/api/v1/profiles")
        .then()
        .statusCode(401);
    assertThat(count("SELECT count(*) FROM events")).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "projects: a team sees and changes only its own; other teams' profiles are 404, not 403")
  void projectIsolation() {
    String a = "team-a" + UUID.randomUUID().toString().substring(0, 4);
    String b = "team-b" + UUID.randomUUID().toString().substring(0, 4);
    TestAccess.publishProject(a, false);
    TestAccess.publishProject(b, false);
    String bProfile = "b-" + UUID.randomUUID().toString().substring(0, 8);
    String inB =
        minimal(bProfile)
            .replace("\"type\": \"full\"", "\"project\": \"" + b + "\", \"type\": \"full\"");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                admin()
                    .contentType(ContentType.JSON)
                    .body(inB)
                    .post("/api/v1/profiles")
                    .then()
                    .statusCode(201));
    String bId =
        admin()
            .queryParam("name", bProfile)
            .get("/api/v1/profiles")
            .then()
            .extract()
            .path("items[0].id");

    String aAdmin = TestAccess.jwt("dave", a + ":admin");
    as(aAdmin).get("/api/v1/profiles/" + bId).then().statusCode(404);
    as(aAdmin)
        .queryParam("name", bProfile)
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    as(aAdmin)
        .queryParam("project", b)
        .get("/api/v1/profiles")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    as(aAdmin)
        .contentType(ContentType.JSON)
        .body(
            minimal("sneak-" + UUID.randomUUID().toString().substring(0, 6))
                .replace("\"type\": \"full\"", "\"project\": \"" + b + "\", \"type\": \"full\""))
        .post("/api/v1/profiles")
        .then()
        .statusCode(404);
    as(aAdmin)
        .contentType(ContentType.JSON)
        .body(
            minimal("mine-" + UUID.randomUUID().toString().substring(0, 6))
                .replace("\"type\": \"full\"", "\"project\": \"" + a + "\", \"type\": \"full\""))
        .post("/api/v1/profiles")
        .then()
        .statusCode(201)
        .body("project", equalTo(a));
    String bViewer = TestAccess.jwt("erin", b + ":viewer");
    as(bViewer).get("/api/v1/profiles/" + bId).then().statusCode(200);
    as(bViewer)
        .contentType(ContentType.JSON)
        .body(inB.replace(bProfile, bProfile + "x"))
        .post("/api/v1/profiles")
        .then()
        .statusCode(403);
  }

  @Test
  @DisplayName("an API key works once announced and is refused as soon as its revocation arrives")
  void revokedKeyIsRefused() {
    String name = "bot-" + UUID.randomUUID().toString().substring(0, 8);
    String key = TestAccess.publishApiKey(name, Role.VIEWER, "*");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> as(key).get("/api/v1/profiles").then().statusCode(200));
    TestAccess.publishRevocation(name, key);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> as(key).get("/api/v1/profiles").then().statusCode(401));
  }

  @Test
  void unknownProfileIsA404Problem() {
    admin()
        .get("/api/v1/profiles/p-nope")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  @DisplayName("health reflects Kafka, PostgreSQL and the relay; metrics and OpenAPI are served")
  void operationalEndpoints() {
    admin()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", hasItem("outbox-relay"))
        .body("checks.name", hasItem("Database connections health check"))
        .body("checks.name", hasItem("Kafka connection health check"));
    admin().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
    admin().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/profiles"));
    // a client generated from the document knows the created status and the problem answers
    var openApi =
        admin()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    java.util.Map<String, Object> createAnswers =
        openApi.getMap("paths.'/api/v1/profiles'.post.responses");
    assertThat(createAnswers).containsKeys("201", "400", "409", "422").doesNotContainKey("200");
    assertThat(
            openApi.getString(
                "paths.'/api/v1/profiles'.post.responses.'422'.content.'application/problem+json'.schema.$ref"))
        .isEqualTo("#/components/schemas/Problem");
    assertThat(openApi.getMap("components.schemas.Problem.properties")).containsKey("errors");
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
}
