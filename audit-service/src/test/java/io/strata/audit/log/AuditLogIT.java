package io.strata.audit.log;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.agroal.api.AgroalDataSource;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileId;
import io.strata.events.Topics;
import io.strata.events.profile.ProfileType;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.KafkaSetup;
import io.strata.eventstore.OutboxRelay;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.RealPostgres;
import io.strata.testsupport.TestAccess;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The audit hop for real: events written through an event store and published by its relay (as
 * profile-service does) arrive in the audit log once, with actor, time and a verifiable hash.
 */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "audit_it"))
class AuditLogIT {
  private static DataSource source;

  @Inject AgroalDataSource auditDb;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @BeforeAll
  static void sourceDatabase() {
    source = RealPostgres.dataSource("audit_it_source");
    Flyway.configure().dataSource(source).locations("classpath:db/eventstore").load().migrate();
  }

  static io.restassured.specification.RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + TestAccess.adminToken());
  }

  static io.restassured.specification.RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token);
  }

  private ProfileId publishProfileCreated(String actor) throws Exception {
    return publishProfileCreated(actor, "default");
  }

  private ProfileId publishProfileCreated(String actor, String project) throws Exception {
    EventStore store = new EventStore(source, "/strata/profile-service");
    ProfileId id = ProfileId.generate();
    store.inTransaction(
        c ->
            store.append(
                c,
                id.value(),
                0,
                List.of(
                    new ProfileCreated(
                        id, "n-" + id.value(), ProfileType.FULL, "", List.of(), project)),
                new CommandMetadata(actor, "corr", project)));
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it")) {
      new OutboxRelay(source, producer, OutboxRelay.Settings.defaults("audit-it")).publishPending();
    }
    return id;
  }

  @Test
  @DisplayName("a published ProfileCreated is listed with its actor, time and hash")
  void listsPublishedEvents() throws Exception {
    ProfileId id = publishProfileCreated("alice");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                admin()
                    .queryParam("aggregateId", id.value())
                    .get("/api/v1/audit/events")
                    .then()
                    .statusCode(200)
                    .body("items", hasSize(1))
                    .body("items[0].type", equalTo("io.strata.profile.ProfileCreated.v1"))
                    .body("items[0].aggregateType", equalTo("profile"))
                    .body("items[0].actor", equalTo("alice"))
                    .body("items[0].time", notNullValue())
                    .body("items[0].data.name", equalTo("n-" + id.value()))
                    .body("items[0].hash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}")));
    admin()
        .queryParam("actor", "alice")
        .queryParam("type", "ProfileCreated")
        .get("/api/v1/audit/events")
        .then()
        .statusCode(200)
        .body("items.aggregateId", org.hamcrest.Matchers.hasItem(id.value()));
  }

  @Test
  @DisplayName("an event published twice (relay crashed before marking it sent) is logged once")
  void redeliveryIsLoggedOnce() throws Exception {
    ProfileId id = publishProfileCreated("bob");
    try (Connection c = source.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO outbox (event_id, topic) SELECT event_id, '"
              + Topics.PROFILE_EVENTS
              + "' FROM events WHERE aggregate_id = '"
              + id.value()
              + "'");
    }
    try (Producer<String, CloudEvent> producer = KafkaSetup.eventProducer(bootstrap, "it")) {
      new OutboxRelay(source, producer, OutboxRelay.Settings.defaults("audit-it")).publishPending();
    }
    ProfileId marker = publishProfileCreated("bob"); // published after the duplicate
    await().atMost(Duration.ofSeconds(15)).until(() -> countFor(marker) == 1);
    assertThat(countFor(id)).isEqualTo(1);
  }

  @Test
  @DisplayName("verify re-checks the chain and names the first record altered in the database")
  void verifyDetectsTampering() throws Exception {
    ProfileId id = publishProfileCreated("carol");
    await().atMost(Duration.ofSeconds(15)).until(() -> countFor(id) == 1);
    admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));

    long seq =
        admin()
            .queryParam("aggregateId", id.value())
            .get("/api/v1/audit/events")
            .then()
            .extract()
            .jsonPath()
            .getLong("items[0].seq");
    execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = " + seq);
    try {
      JsonPath result =
          admin().get("/api/v1/audit/verify").then().statusCode(200).extract().jsonPath();
      assertThat(result.getBoolean("valid")).isFalse();
      assertThat(result.getLong("firstBadSeq")).isEqualTo(seq);
    } finally {
      execute("UPDATE audit_log SET actor = 'carol' WHERE seq = " + seq);
    }
    admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
  }

  @Test
  @DisplayName("the audit API shows a caller only the events of its projects")
  void callersSeeOnlyTheirProjects() throws Exception {
    ProfileId inA = publishProfileCreated("alice", "team-a");
    ProfileId inB = publishProfileCreated("bob", "team-b");
    await().atMost(Duration.ofSeconds(15)).until(() -> countFor(inA) == 1 && countFor(inB) == 1);
    String aViewer = TestAccess.jwt("frank", "team-a:operator");
    as(aViewer)
        .queryParam("aggregateId", inA.value())
        .get("/api/v1/audit/events")
        .then()
        .statusCode(200)
        .body("items", hasSize(1));
    as(aViewer)
        .queryParam("aggregateId", inB.value())
        .get("/api/v1/audit/events")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    as(aViewer)
        .queryParam("actor", "bob")
        .get("/api/v1/audit/events")
        .then()
        .statusCode(200)
        .body(
            "items.aggregateId",
            org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(inB.value())));
    as(aViewer).get("/api/v1/audit/verify").then().statusCode(403);
  }

  @Test
  @DisplayName("every /api/v1 operation refuses anonymous calls")
  void openApiWalk() throws Exception {
    String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
    assertThat(io.strata.testsupport.OpenApiSecurityWalk.operations(base))
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(io.strata.testsupport.OpenApiSecurityWalk.anonymousNot401(base)).isEmpty();
  }

  @Test
  void badQueriesAreProblems() {
    admin()
        .queryParam("from", "yesterday")
        .get("/api/v1/audit/events")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    admin().queryParam("limit", 0).get("/api/v1/audit/events").then().statusCode(400);
    admin().queryParam("after", "%%%").get("/api/v1/audit/events").then().statusCode(400);
  }

  private long countFor(ProfileId id) {
    return admin()
        .queryParam("aggregateId", id.value())
        .get("/api/v1/audit/events")
        .then()
        .extract()
        .jsonPath()
        .getList("items")
        .size();
  }

  private void execute(String sql) throws Exception {
    try (Connection c = auditDb.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
