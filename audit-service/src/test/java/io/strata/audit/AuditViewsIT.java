package io.strata.audit;

import static io.restassured.RestAssured.given;
import static io.strata.audit.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.strata.audit.projection.Projections;
import io.strata.events.DomainEvent;
import io.strata.events.Topics;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.TestAccess;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The audit views against the real broker and database, after a scripted history: a profile with
 * two revisions, a cluster registered, upgraded, overridden, failing and recovering, drifting, and
 * rolled back — each step by a named actor at a known time.
 */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "audit_it"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditViewsIT {
  @Inject AgroalDataSource db;

  final String profile = "p-" + UUID.randomUUID();
  final String cluster = "c-" + UUID.randomUUID();
  final String late = "c-" + UUID.randomUUID();
  // a random hour of a past day: this history's time range holds its events only
  final Instant t0 =
      Instant.parse("2025-06-01T00:00:00Z")
          .plus(ThreadLocalRandom.current().nextInt(0, 24 * 300), ChronoUnit.HOURS);
  int published;

  static RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + TestAccess.adminToken());
  }

  Instant at(int minutes) {
    return t0.plus(minutes, ChronoUnit.MINUTES);
  }

  void step(DomainEvent e, String actor, int minute) {
    String id = e.aggregateId();
    int before = count(id);
    Publisher.publish(e, actor, "default", at(minute));
    published++;
    // one at a time: the cross-topic order of the history is the order of this script
    await().atMost(Duration.ofSeconds(20)).until(() -> count(id) == before + 1);
  }

  int count(String aggregateId) {
    return admin()
        .queryParam("aggregateId", aggregateId)
        .queryParam("limit", 500)
        .get("/api/v1/audit/events")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items")
        .size();
  }

  static Map<String, Object> gen(long g, String profileId, int revision, List<?> overrides) {
    return spec(
        g,
        List.of(attached(profileId, "web-stack", "1.0.0", revision)),
        Map.of("replicas", "2"),
        overrides);
  }

  boolean played;

  // before each, played once: RestAssured knows the port only once a test runs
  @BeforeEach
  void history() {
    if (played) {
      return;
    }
    played = true;
    List<Map<String, Object>> rev1 =
        List.of(
            helm("ingress", "controller:\n  replicaCount: 2\n"),
            manifests(
                "web",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: web}\ndata: {mode: a}\n"));
    List<Map<String, Object>> rev2 =
        List.of(
            helm("ingress", "controller:\n  replicaCount: 3\n"),
            manifests(
                "web",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: web}\ndata: {mode: b}\n"));
    step(profileCreated(profile, "web-stack", "default"), "alice", 0);
    step(versionCreated(profile, "1.0.0", rev1), "alice", 1);
    step(registered(cluster, "prod-1", "default", gen(1, profile, 1, List.of())), "bob", 2);
    step(started(cluster, 1), "reconciler", 3);
    step(succeeded(cluster, 1), "reconciler", 4);
    step(versionUpdated(profile, "1.0.0", 2, rev2), "alice", 5);
    step(
        profilesAttached(cluster, gen(2, profile, 2, List.of()), "apply pending updates"),
        "carol",
        6);
    Map<String, Object> ov = override(profile, "ingress", "controller:\n  replicaCount: 5\n");
    step(overrideSet(cluster, ov, gen(3, profile, 2, List.of(ov))), "carol", 7);
    step(failed(cluster, 3, "Deployment web not ready"), "reconciler", 8);
    step(succeeded(cluster, 3), "reconciler", 10);
    step(driftDetected(cluster, 3), "reconciler", 11);
    step(rolledBack(cluster, gen(4, profile, 1, List.of()), 1), "dave", 12);
    step(versionDeprecated(profile, "1.0.0"), "alice", 13);
    // a reconcile outcome logged after the next spec change although it happened before it
    step(registered(late, "late-1", "default", gen(1, profile, 1, List.of())), "bob", 20);
    step(profilesAttached(late, gen(2, profile, 2, List.of()), "upgrade"), "carol", 22);
    step(succeeded(late, 1), "reconciler", 21);
  }

  @Test
  @DisplayName("the timeline lists every step of the cluster with its actor, in order")
  void timeline() {
    JsonPath t =
        admin()
            .get("/api/v1/audit/clusters/" + cluster + "/timeline")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(t.getList("items.kind", String.class))
        .containsExactly(
            "registered",
            "reconcile-started",
            "reconcile-succeeded",
            "spec-changed",
            "spec-changed",
            "reconcile-failed",
            "reconcile-succeeded",
            "drift-detected",
            "rolled-back");
    assertThat(t.getList("items.actor", String.class))
        .containsExactly(
            "bob",
            "reconciler",
            "reconciler",
            "carol",
            "carol",
            "reconciler",
            "reconciler",
            "reconciler",
            "dave");
    assertThat(t.getList("items.generation", Long.class))
        .containsExactly(1L, 1L, 1L, 2L, 3L, 3L, 3L, 3L, 4L);
    assertThat(t.getList("items.reason", String.class))
        .contains("apply pending updates", "override ingress", "rollback to generation 1");
    assertThat(t.getString("name")).isEqualTo("prod-1");
    assertThat(t.getString("phase")).isEqualTo("Pending");
    JsonPath page =
        admin()
            .queryParam("limit", 4)
            .get("/api/v1/audit/clusters/" + cluster + "/timeline")
            .then()
            .extract()
            .jsonPath();
    assertThat(page.getList("items")).hasSize(4);
    JsonPath rest =
        admin()
            .queryParam("after", page.getString("next"))
            .get("/api/v1/audit/clusters/" + cluster + "/timeline")
            .then()
            .extract()
            .jsonPath();
    assertThat(rest.getList("items.kind", String.class)).hasSize(5).startsWith("spec-changed");
  }

  @Test
  @DisplayName(
      "a step logged late takes its place in time, and the phases are folded in that order")
  void lateStepsAreFoldedInTimeOrder() {
    JsonPath t =
        admin()
            .get("/api/v1/audit/clusters/" + late + "/timeline")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(t.getList("items.kind", String.class))
        .containsExactly("registered", "reconcile-succeeded", "spec-changed");
    assertThat(t.getList("items.phase", String.class))
        .containsExactly("Pending", "Converged", "Pending");
    assertThat(t.getString("phase")).isEqualTo("Pending");
    assertThat(state(late, at(21).plusSeconds(30)).getString("status.phase"))
        .isEqualTo("Converged");
  }

  @Test
  @DisplayName("state?at= between two steps returns the spec and status in force then")
  void timeTravel() {
    JsonPath s = state(at(6).plusSeconds(30));
    assertThat(s.getLong("spec.generation")).isEqualTo(2);
    assertThat(s.getInt("spec.spec.profiles[0].revision")).isEqualTo(2);
    assertThat(s.getString("spec.actor")).isEqualTo("carol");
    assertThat(s.getString("status.phase")).isEqualTo("Pending");
    assertThat(state(at(4).plusSeconds(30)).getString("status.phase")).isEqualTo("Converged");
    JsonPath failing = state(at(9));
    assertThat(failing.getLong("spec.generation")).isEqualTo(3);
    assertThat(failing.getList("spec.spec.overrides")).hasSize(1);
    assertThat(failing.getString("status.phase")).isEqualTo("Failed");
    assertThat(state(at(12).plusSeconds(1)).getInt("spec.spec.profiles[0].revision")).isEqualTo(1);
    admin()
        .queryParam("at", at(1).toString())
        .get("/api/v1/audit/clusters/" + cluster + "/state")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    // an offset is an instant too
    admin()
        .queryParam(
            "at", at(6).plusSeconds(30).atOffset(java.time.ZoneOffset.ofHours(2)).toString())
        .get("/api/v1/audit/clusters/" + cluster + "/state")
        .then()
        .statusCode(200)
        .body("spec.generation", equalTo(2));
  }

  JsonPath state(Instant when) {
    return state(cluster, when);
  }

  JsonPath state(String id, Instant when) {
    return admin()
        .queryParam("at", when.toString())
        .get("/api/v1/audit/clusters/" + id + "/state")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  @DisplayName("every revision is kept with its content, and the diff names the changed paths")
  void revisionsAndDiff() {
    JsonPath r =
        admin()
            .get("/api/v1/audit/profiles/" + profile + "/versions/1.0.0/revisions")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(r.getList("items.revision", Integer.class)).containsExactly(1, 2);
    assertThat(r.getList("items.actor", String.class)).containsExactly("alice", "alice");
    assertThat(r.getString("items[1].layers[0].values")).contains("replicaCount: 3");
    JsonPath d =
        admin()
            .queryParam("from", "1.0.0@1")
            .queryParam("to", "1.0.0@2")
            .get("/api/v1/audit/profiles/" + profile + "/diff")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(d.getString("layers.find { it.layer == 'ingress' }.status")).isEqualTo("changed");
    assertThat(d.getList("layers.find { it.layer == 'ingress' }.values.path", String.class))
        .containsExactly("controller.replicaCount");
    assertThat(d.getString("layers.find { it.layer == 'ingress' }.values[0].from")).isEqualTo("2");
    assertThat(d.getString("layers.find { it.layer == 'web' }.objects[0].object"))
        .isEqualTo("ConfigMap/web/web");
    assertThat(d.getList("layers.find { it.layer == 'web' }.objects[0].paths.path", String.class))
        .containsExactly("data.mode");
    admin()
        .queryParam("from", "1.0.0@1")
        .queryParam("to", "1.0.0@9")
        .get("/api/v1/audit/profiles/" + profile + "/diff")
        .then()
        .statusCode(404);
    admin()
        .get("/api/v1/audit/profiles/" + profile + "/versions/9.9.9/revisions")
        .then()
        .statusCode(404);
  }

  @Test
  @DisplayName("compliance: pending update, deprecated version, drift, failures and recovery time")
  void compliance() {
    JsonPath c =
        admin().get("/api/v1/audit/compliance").then().statusCode(200).extract().jsonPath();
    String row = "clusters.find { it.clusterId == '" + cluster + "' }";
    assertThat(c.getList(row + ".pendingUpdates", String.class))
        .containsExactly("web-stack 1.0.0 1→2");
    assertThat(c.getList(row + ".deprecatedVersions", String.class))
        .containsExactly("web-stack 1.0.0");
    assertThat(c.getBoolean(row + ".drifted")).isTrue();
    assertThat(c.getLong(row + ".driftCount")).isEqualTo(1);
    assertThat(c.getLong(row + ".failures")).isEqualTo(1);
    assertThat(c.getLong(row + ".meanTimeToRecoveryMs")).isEqualTo(120_000);
    assertThat(c.getLong("counts.pendingUpdates")).isGreaterThanOrEqualTo(1);
    assertThat(c.getList("changesPerActor.actor", String.class))
        .contains("alice", "bob", "carol", "dave");
    assertThat(c.getList("changesPerActor.actor", String.class)).doesNotContain("reconciler");
  }

  @Test
  @DisplayName("the export of the history's range holds every one of its events, as CSV and JSON")
  void export() {
    String csv =
        admin()
            .queryParam("format", "csv")
            .queryParam("from", t0.toString())
            .queryParam("to", at(30).toString())
            .get("/api/v1/audit/export")
            .then()
            .statusCode(200)
            .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
            .extract()
            .asString();
    List<String> lines = csv.lines().toList();
    assertThat(lines.getFirst()).startsWith("seq,eventId,time,type");
    assertThat(lines).hasSize(published + 1);
    JsonPath json =
        admin()
            .queryParam("format", "json")
            .queryParam("from", t0.toString())
            .queryParam("to", at(30).toString())
            .get("/api/v1/audit/export")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(json.getList("$")).hasSize(published);
    assertThat(json.getList("actor", String.class))
        .contains("alice", "bob", "carol", "dave", "reconciler");
  }

  @Test
  @DisplayName("rebuilding the projections from the log gives identical tables")
  void rebuildIsIdentical() throws Exception {
    Map<String, List<String>> before = dump();
    admin().post("/api/v1/audit/projections/rebuild").then().statusCode(200);
    assertThat(dump()).isEqualTo(before);
    admin().get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    String viewer = TestAccess.jwt("vera", "*:viewer");
    given()
        .header("Authorization", "Bearer " + viewer)
        .post("/api/v1/audit/projections/rebuild")
        .then()
        .statusCode(403);
  }

  Map<String, List<String>> dump() throws Exception {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      // no ingest in between: the chain head's lock is what the rebuild takes
      for (String table : Projections.TABLES) {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY 1")) {
          while (rs.next()) {
            rows.add(rs.getString(1));
          }
        }
        out.put(table, rows);
      }
    }
    return out;
  }

  @Test
  @DisplayName(
      "an unknown type, a newer version and a non-CloudEvent are kept raw and flagged; the stream goes on")
  void unknownEventsAreKept() {
    String subject = "c-" + UUID.randomUUID();
    UUID unknown =
        Publisher.publishRaw(
            Topics.CLUSTER_EVENTS,
            "io.strata.cluster.ClusterRenamed.v1",
            subject,
            "default",
            "{\"clusterId\":\"" + subject + "\",\"name\":\"x\"}");
    UUID newer =
        Publisher.publishRaw(
            Topics.RECONCILE_EVENTS,
            "io.strata.reconcile.ReconcileSucceeded.v9",
            subject,
            "default",
            "{\"clusterId\":\"" + subject + "\",\"generation\":1,\"novel\":true}");
    Publisher.publishBytes(
        Topics.CLUSTER_EVENTS, subject, "not a cloud event".getBytes(StandardCharsets.UTF_8));
    String after = "c-" + UUID.randomUUID();
    Publisher.publish(
        registered(after, "after", "default", gen(1, profile, 1, List.of())),
        "erin",
        "default",
        Instant.now());
    await().atMost(Duration.ofSeconds(20)).until(() -> count(after) == 1 && count(subject) == 3);
    JsonPath kept =
        admin()
            .queryParam("aggregateId", subject)
            .get("/api/v1/audit/events")
            .then()
            .extract()
            .jsonPath();
    assertThat(kept.getList("items.flag", String.class))
        .containsExactlyInAnyOrder("unknown-type", "newer-version", "undecodable");
    assertThat(kept.getString("items.find { it.eventId == '" + newer + "' }.data.novel"))
        .isEqualTo("true");
    assertThat(kept.getString("items.find { it.eventId == '" + unknown + "' }.type"))
        .isEqualTo("io.strata.cluster.ClusterRenamed.v1");
    admin()
        .get("/api/v1/audit/clusters/" + after + "/timeline")
        .then()
        .statusCode(200)
        .body("items[0].actor", equalTo("erin"));
    // the newer version is in the log, not in the projections this build cannot interpret
    admin().get("/api/v1/audit/clusters/" + subject + "/timeline").then().statusCode(404);
  }

  @Test
  @DisplayName(
      "the live stream resumes after Last-Event-ID with the events that followed, in order")
  void streamResumes() throws Exception {
    JsonPath log =
        admin()
            .queryParam("aggregateId", cluster)
            .get("/api/v1/audit/events")
            .then()
            .extract()
            .jsonPath();
    List<Long> seqs = log.getList("items.seq", Long.class);
    long resumeAfter = seqs.get(2);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/audit/stream"))
            .header("Authorization", "Bearer " + TestAccess.adminToken())
            .header("Last-Event-ID", Long.toString(resumeAfter))
            .build();
    HttpResponse<java.io.InputStream> resp =
        http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    List<Long> ids = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && ids.size() < 3) {
        if (line.startsWith("id:")) {
          ids.add(Long.parseLong(line.substring(3).strip()));
        }
      }
    }
    assertThat(ids).hasSize(3).isSorted().allMatch(id -> id > resumeAfter);
    assertThat(ids.getFirst()).isEqualTo(resumeAfter + 1);
  }

  @Test
  @DisplayName("readiness includes the audit ingest")
  void ingestIsReady() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'audit-ingest' }.status", equalTo("UP"));
  }

  @Test
  @DisplayName("bad input is a 400 problem naming the field; unknown aggregates are 404")
  void badInput() {
    problem(admin().queryParam("from", "yesterday").get("/api/v1/audit/events"), 400, "from");
    problem(
        admin()
            .queryParam("from", at(5).toString())
            .queryParam("to", at(1).toString())
            .get("/api/v1/audit/events"),
        400,
        "to");
    problem(admin().queryParam("limit", 501).get("/api/v1/audit/events"), 400, "limit");
    problem(admin().get("/api/v1/audit/clusters/" + cluster + "/state"), 400, "at");
    problem(
        admin().queryParam("at", "noon").get("/api/v1/audit/clusters/" + cluster + "/state"),
        400,
        "at");
    problem(
        admin().queryParam("limit", 1001).get("/api/v1/audit/clusters/" + cluster + "/timeline"),
        400,
        "limit");
    problem(
        admin()
            .queryParam("from", "1.0.0")
            .queryParam("to", "1.0.0@2")
            .get("/api/v1/audit/profiles/" + profile + "/diff"),
        400,
        "from");
    problem(admin().queryParam("format", "xml").get("/api/v1/audit/export"), 400, "format");
    problem(
        admin()
            .queryParam("format", "csv")
            .queryParam("from", at(2).toString())
            .queryParam("to", at(2).toString())
            .get("/api/v1/audit/export"),
        400,
        "to");
    problem(
        admin().header("Last-Event-ID", "abc").get("/api/v1/audit/stream"), 400, "Last-Event-ID");
    admin()
        .get("/api/v1/audit/clusters/c-nope/timeline")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    admin()
        .queryParam("at", at(5).toString())
        .get("/api/v1/audit/clusters/c-nope/state")
        .then()
        .statusCode(404);
    admin().get("/api/v1/audit/profiles/p-nope/versions/1.0.0/revisions").then().statusCode(404);
  }

  static void problem(io.restassured.response.Response r, int status, String field) {
    r.then()
        .statusCode(status)
        .contentType("application/problem+json")
        .body("errors[0].field", equalTo(field));
  }

  @Test
  @DisplayName("another project's cluster and profile do not exist for a caller")
  void projectsAreIsolated() {
    String other = TestAccess.jwt("tess", "team-a:admin");
    given()
        .header("Authorization", "Bearer " + other)
        .get("/api/v1/audit/clusters/" + cluster + "/timeline")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", "Bearer " + other)
        .queryParam("at", at(5).toString())
        .get("/api/v1/audit/clusters/" + cluster + "/state")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", "Bearer " + other)
        .get("/api/v1/audit/profiles/" + profile + "/versions/1.0.0/revisions")
        .then()
        .statusCode(404);
    JsonPath c =
        given()
            .header("Authorization", "Bearer " + other)
            .get("/api/v1/audit/compliance")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(c.getList("clusters.clusterId", String.class)).doesNotContain(cluster);
    String csv =
        given()
            .header("Authorization", "Bearer " + other)
            .queryParam("format", "csv")
            .queryParam("from", t0.toString())
            .queryParam("to", at(30).toString())
            .get("/api/v1/audit/export")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(csv.lines()).hasSize(1);
  }
}
