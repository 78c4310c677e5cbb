package io.strata.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.strata.events.ClusterId;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.ReconcileEvent;
import io.strata.events.Semver;
import io.strata.events.Topics;
import io.strata.events.access.Role;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.LayerChange;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.RealKafka;
import io.strata.testsupport.TestAccess;
import io.strata.testsupport.TestEvents;
import io.strata.testsupport.TopicReader;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The day-2 promises on a real broker and a real database: profiles arrive as profile-service
 * publishes them, reconcile outcomes as the reconciler publishes them, and everything else goes
 * through the REST API.
 */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "cluster_it"))
class ClustersIT {
  @Inject AgroalDataSource dataSource;

  static RequestSpecification admin() {
    return as(TestAccess.adminToken());
  }

  static RequestSpecification as(String token) {
    return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  static List<Variable> variables() {
    return List.of(
        new Variable("replicas", VariableType.NUMBER, "2", false, "", false),
        new Variable("api_token", VariableType.STRING, "", false, "", true));
  }

  static List<Layer> layers(String webValues, String annotations) {
    return List.of(
        new Layer.ManifestLayer(
            "app",
            List.of(
                new Manifest(
                    "deploy",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web"
                        + annotations
                        + "}\nspec: {replicas: {{ .strata.var.replicas }}}\n"))),
        new Layer.HelmLayer("web", new ChartRef("web", "1.0.0", "", "sha256:abc"), webValues));
  }

  /** Publishes a profile with version 1.0.0 as profile-service would, and waits until known. */
  static ProfileId profile(String name, ProfileType type, String project) {
    ProfileId id = ProfileId.generate();
    TestEvents.publish(
        new ProfileEvent.ProfileCreated(id, name, type, "", List.of(), project), project);
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            id,
            Semver.parse("1.0.0"),
            1,
            "",
            variables(),
            layers("replicas: 2\nimage: {tag: '1.0'}\n", "")),
        project);
    return id;
  }

  static void version(
      ProfileId id, String version, int revision, String webValues, boolean created) {
    TestEvents.publish(
        created
            ? new ProfileEvent.ProfileVersionCreated(
                id, Semver.parse(version), revision, "", variables(), layers(webValues, ""))
            : new ProfileEvent.ProfileVersionUpdated(
                id,
                Semver.parse(version),
                revision,
                variables(),
                layers(webValues, ""),
                List.of(new LayerChange("web", LayerChange.Kind.RECONFIGURED))),
        "default");
  }

  /** A new web-stack addon profile at 1.0.0 revision 1, once cluster-service knows it. */
  ProfileId webStack() {
    ProfileId web = profile(unique("web-stack"), ProfileType.ADDON, "default");
    awaitKnown(web, "1.0.0", 1);
    return web;
  }

  void awaitKnown(ProfileId id, String version, int revision) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM known_revisions WHERE profile_id = '"
                            + id.value()
                            + "' AND version = '"
                            + version
                            + "' AND revision = "
                            + revision)
                    == 1);
  }

  long count(String sql) throws Exception {
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String register(String name, Map<String, String> labels, ProfileId profile) {
    return admin()
        .body(
            Map.of(
                "name",
                name,
                "labels",
                labels,
                "target",
                Map.of("kind", "simulated"),
                "profiles",
                List.of(Map.of("profileId", profile.value(), "version", "1.0.0")),
                "variables",
                Map.of("replicas", "3", "api_token", "tok-" + name)))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201)
        .body("generation", equalTo(1))
        .body("spec.variables.api_token", equalTo("********"))
        .extract()
        .path("id");
  }

  static JsonPath cluster(String id) {
    return admin().get("/api/v1/clusters/" + id).then().statusCode(200).extract().jsonPath();
  }

  static void converged(String id, long generation) {
    TestEvents.publish(
        new ReconcileEvent.ReconcileSucceeded(
            ClusterId.of(id), generation, "sha256:d", List.of(), 5),
        "default");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster(id).getInt("status.lastConvergedGeneration") >= generation);
  }

  static JsonPath bulkAttach(String selector, ProfileId profile, String version) {
    return admin()
        .body(
            Map.of(
                "selector",
                selector,
                "profiles",
                List.of(Map.of("profileId", profile.value(), "version", version))))
        .post("/api/v1/clusters/bulk/profiles")
        .then()
        .statusCode(202)
        .extract()
        .jsonPath();
  }

  static void awaitBulkFinished(String operationId) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                admin()
                        .get("/api/v1/clusters/bulk/" + operationId)
                        .then()
                        .extract()
                        .path("finishedAt")
                    != null);
  }

  static void awaitGeneration(String id, int generation) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster(id).getInt("generation") == generation);
  }

  @Test
  void a_bulk_item_that_fails_while_writing_fails_alone() throws Exception {
    String env = unique("env");
    ProfileId web = webStack();
    String a = register(unique("a"), Map.of("env", env), web);
    String b = register(unique("b"), Map.of("env", env), web);
    String c = register(unique("c"), Map.of("env", env), web);
    version(web, "1.1.0", 1, "replicas: 4\n", true);
    awaitKnown(web, "1.1.0", 1);
    // the database refuses b's next event: b's item fails after it has decided, so the batch is
    // redone item by item and only b is left behind
    var refused = io.strata.testsupport.RefusedEvents.after(dataSource, b, 1);
    try {
      String operation = bulkAttach("env=" + env, web, "1.1.0").getString("operationId");
      awaitBulkFinished(operation);
      admin()
          .get("/api/v1/clusters/bulk/" + operation)
          .then()
          .statusCode(200)
          .body("total", equalTo(3))
          .body("counts.done", equalTo(2))
          .body("counts.failed", equalTo(1))
          .body("items.clusterId", equalTo(List.of(b)))
          .body("items[0].message", startsWith("could not be carried out"));
      assertThat(cluster(a).getString("spec.profiles[0].version")).isEqualTo("1.1.0");
      assertThat(cluster(c).getString("spec.profiles[0].version")).isEqualTo("1.1.0");
      assertThat(cluster(b).getString("spec.profiles[0].version")).isEqualTo("1.0.0");
      assertThat(cluster(b).getInt("generation")).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = '" + b + "'"))
          .isEqualTo(1);
    } finally {
      refused.close();
    }
  }

  @Test
  void bulk_operations_apply_in_the_order_they_were_accepted() throws Exception {
    String env = unique("env");
    ProfileId web = webStack();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ids.add(register(unique("o" + i), Map.of("env", env), web));
    }
    version(web, "1.1.0", 1, "replicas: 4\n", true);
    awaitKnown(web, "1.1.0", 1);
    // batches of two, two workers: the upgrade is spread over both, and the downgrade accepted
    // right after it must not overtake it on any cluster
    String up = bulkAttach("env=" + env, web, "1.1.0").getString("operationId");
    String down = bulkAttach("env=" + env, web, "1.0.0").getString("operationId");
    awaitBulkFinished(up);
    awaitBulkFinished(down);
    for (String op : List.of(up, down)) {
      admin()
          .get("/api/v1/clusters/bulk/" + op)
          .then()
          .statusCode(200)
          .body("total", equalTo(9))
          .body("counts", equalTo(Map.of("done", 9)))
          .body("items", hasSize(0));
    }
    for (String id : ids) {
      admin()
          .get("/api/v1/clusters/" + id + "/generations")
          .then()
          .statusCode(200)
          .body("items.reason", equalTo(List.of("register", "upgrade", "downgrade")));
      assertThat(cluster(id).getString("spec.profiles[0].version")).isEqualTo("1.0.0");
    }
  }

  @Test
  void a_bulk_rollback_restores_the_last_converged_generation_else_the_previous_one()
      throws Exception {
    String env = unique("env");
    ProfileId web = webStack();
    String worked = register(unique("worked"), Map.of("env", env), web);
    String never = register(unique("never"), Map.of("env", env), web);
    converged(worked, 1);
    version(web, "1.1.0", 1, "replicas: 4\n", true);
    awaitKnown(web, "1.1.0", 1);
    // generation 2 on 1.1.0, generation 3 back on 1.0.0; neither converges
    awaitBulkFinished(bulkAttach("env=" + env, web, "1.1.0").getString("operationId"));
    awaitBulkFinished(bulkAttach("env=" + env, web, "1.0.0").getString("operationId"));
    String rollback =
        admin()
            .body(Map.of("selector", "env=" + env))
            .post("/api/v1/clusters/bulk/rollback")
            .then()
            .statusCode(202)
            .extract()
            .path("operationId");
    awaitBulkFinished(rollback);
    // the newest converged generation for one (1), the previous one for the other (2)
    for (String id : List.of(worked, never)) {
      admin()
          .get("/api/v1/clusters/" + id + "/generations")
          .then()
          .statusCode(200)
          .body("items.reason", equalTo(List.of("register", "upgrade", "downgrade", "rollback")))
          .body("items[3].restoredFrom", equalTo(id.equals(worked) ? 1 : 2));
    }
    assertThat(cluster(worked).getString("spec.profiles[0].version")).isEqualTo("1.0.0");
    assertThat(cluster(never).getString("spec.profiles[0].version")).isEqualTo("1.1.0");
    assertThat(cluster(never).getInt("generation")).isEqualTo(4);
  }

  @Test
  void pending_updates_overrides_bulk_attach_and_bulk_rollback() throws Exception {
    String env = unique("env");
    ProfileId web = webStack();
    String a = register(unique("prod-a"), Map.of("env", env), web);
    String b = register(unique("prod-b"), Map.of("env", env), web);
    String c = register(unique("prod-c"), Map.of("env", env), web);

    // an override on one cluster: generation 2
    admin()
        .body(Map.of("values", "replicas: 5\n"))
        .put("/api/v1/clusters/" + a + "/overrides/" + web.value() + "/web")
        .then()
        .statusCode(200)
        .body("generation", equalTo(2))
        .body("cluster.spec.overrides[0].baseRevision", equalTo(1));
    for (String id : List.of(a, b, c)) {
      converged(id, id.equals(a) ? 2 : 1);
    }
    assertThat(cluster(a).getString("status.phase")).isEqualTo("Converged");

    // an in-place update of 1.0.0: pending everywhere, nothing else changes
    version(web, "1.0.0", 2, "replicas: 2\nimage: {tag: '1.0.1'}\n", false);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                admin()
                        .queryParam("selector", "env=" + env)
                        .queryParam("pendingUpdates", true)
                        .get("/api/v1/clusters")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("items")
                        .size()
                    == 3);
    JsonPath pa = cluster(a);
    assertThat(pa.getInt("generation")).isEqualTo(2);
    assertThat(pa.getInt("pendingUpdates[0].fromRevision")).isEqualTo(1);
    assertThat(pa.getInt("pendingUpdates[0].toRevision")).isEqualTo(2);
    assertThat(pa.getList("pendingUpdates[0].conflicts")).isEmpty();

    // apply on one: new generation on revision 2, override kept
    admin()
        .post("/api/v1/clusters/" + a + "/pending-updates/apply")
        .then()
        .statusCode(200)
        .body("generation", equalTo(3))
        .body("cluster.spec.profiles[0].revision", equalTo(2))
        .body("cluster.spec.overrides[0].values", equalTo("replicas: 5\n"))
        .body("cluster.pendingUpdates", hasSize(0));
    admin().post("/api/v1/clusters/" + a + "/pending-updates/apply").then().statusCode(409);
    assertThat(cluster(b).getInt("generation")).isEqualTo(1);
    converged(a, 3);

    // 1.1.0 changes the overridden key: attach to all by selector
    version(web, "1.1.0", 1, "replicas: 4\nimage: {tag: '1.1'}\n", true);
    awaitKnown(web, "1.1.0", 1);
    assertThat(cluster(a).getList("availableVersions.version")).contains("1.1.0");
    JsonPath bulk = bulkAttach("env=" + env, web, "1.1.0");
    assertThat(bulk.getList("clusters")).hasSize(3);
    awaitGeneration(a, 4);
    awaitGeneration(b, 2);
    awaitGeneration(c, 2);
    awaitBulkFinished(bulk.getString("operationId"));
    // the reconciler reports the new generation failed: the phase and message follow
    TestEvents.publish(
        new ReconcileEvent.ReconcileFailed(
            ClusterId.of(a), 4, "sha256:e", List.of(), 30_000, "web not ready after 30s", false),
        "default");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster(a).getString("status.phase").equals("Failed"));
    assertThat(cluster(a).getString("status.message")).isEqualTo("web not ready after 30s");
    assertThat(cluster(a).getInt("status.observedGeneration")).isEqualTo(4);
    assertThat(cluster(a).getInt("status.lastConvergedGeneration")).isEqualTo(3);
    // the override is kept but its base moved under it: a conflict, shown
    JsonPath upgraded = cluster(a);
    assertThat(upgraded.getString("spec.profiles[0].version")).isEqualTo("1.1.0");
    assertThat(upgraded.getList("conflicts.path")).containsExactly("replicas");

    // roll all back by selector in one call
    admin()
        .body(Map.of("selector", "env=" + env))
        .post("/api/v1/clusters/bulk/rollback")
        .then()
        .statusCode(202)
        .body("clusters.id", hasItem(a));
    awaitGeneration(a, 5);
    awaitGeneration(b, 3);
    JsonPath back = cluster(a);
    assertThat(back.getString("spec.profiles[0].version")).isEqualTo("1.0.0");
    assertThat(back.getInt("spec.profiles[0].revision")).isEqualTo(2);
    assertThat(back.getString("spec.overrides[0].values")).isEqualTo("replicas: 5\n");
    assertThat(cluster(b).getString("spec.profiles[0].version")).isEqualTo("1.0.0");

    // the generations tell the story with reasons and actors
    admin()
        .get("/api/v1/clusters/" + a + "/generations")
        .then()
        .statusCode(200)
        .body(
            "items.reason",
            equalTo(List.of("register", "override", "apply-updates", "upgrade", "rollback")))
        .body("items[4].restoredFrom", equalTo(3))
        .body("items[0].actor", equalTo("admin"));

    // the diff against 1.1.0: the overridden path, what changes, and the conflict
    JsonPath diff =
        admin()
            .queryParam("profileId", web.value())
            .queryParam("version", "1.1.0")
            .get("/api/v1/clusters/" + a + "/diff")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Object> webLayer =
        diff.getMap("diff.profiles[0].layers.find { it.layer == 'web' }");
    assertThat(webLayer.get("overriddenPaths")).isEqualTo(List.of("replicas"));
    assertThat(webLayer.get("effective"))
        .isEqualTo(Map.of("replicas", 5, "image", Map.of("tag", "1.1")));
    assertThat(diff.getList("diff.conflicts.path")).containsExactly("replicas");
    assertThat(diff.getString("diff.profiles[0].change")).isEqualTo("upgrade");

    // events carry the whole spec, and never a sensitive value
    var events = TopicReader.byKey(RealKafka.bootstrapServers(), Topics.CLUSTER_EVENTS, a, 5);
    assertThat(events).allSatisfy(r -> assertThat(r.value()).doesNotContain("tok-"));
  }

  @Test
  void bad_input_is_refused_with_every_problem_and_nothing_written() throws Exception {
    ProfileId web = profile(unique("web"), ProfileType.ADDON, "default");
    ProfileId infra1 = profile(unique("base"), ProfileType.INFRA, "default");
    ProfileId infra2 = profile(unique("full"), ProfileType.FULL, "default");
    awaitKnown(web, "1.0.0", 1);
    awaitKnown(infra1, "1.0.0", 1);
    awaitKnown(infra2, "1.0.0", 1);
    long before = count("SELECT count(*) FROM events");

    admin()
        .body(
            Map.of(
                "name",
                "Bad Name",
                "target",
                Map.of("kind", "kubernetes", "kubeconfig", "clusters: []"),
                "labels",
                Map.of("env", "not valid!")))
        .post("/api/v1/clusters")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("target.kubeconfig"))
        .body("errors.field", hasItem("labels.env"));
    admin()
        .body(
            Map.of(
                "name",
                unique("two-infra"),
                "profiles",
                List.of(
                    Map.of("profileId", infra1.value(), "version", "1.0.0"),
                    Map.of("profileId", infra2.value(), "version", "1.0.0"),
                    Map.of("profileId", web.value(), "version", "3.0.0"))))
        .post("/api/v1/clusters")
        .then()
        .statusCode(422)
        .body("errors.field", hasItem("profiles"))
        .body("errors.field", hasItem("profiles[2].version"));
    assertThat(count("SELECT count(*) FROM events")).isEqualTo(before);

    String id = register(unique("ok"), Map.of("env", "bad-input"), web);
    admin()
        .body(Map.of("values", "replicas: 9"))
        .put("/api/v1/clusters/" + id + "/overrides/" + web.value() + "/no-such-layer")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("layer"));
    admin()
        .body(Map.of("values", "- not\n- a mapping"))
        .put("/api/v1/clusters/" + id + "/overrides/" + web.value() + "/web")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("values"));
    admin()
        .body(Map.of("toGeneration", 42))
        .post("/api/v1/clusters/" + id + "/rollback")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("toGeneration"));
    admin()
        .queryParam("selector", "env==,")
        .get("/api/v1/clusters")
        .then()
        .statusCode(400)
        .body("detail", containsString("selector"));
    admin()
        .body(Map.of("selector", "env in (a", "profiles", List.of()))
        .post("/api/v1/clusters/bulk/profiles")
        .then()
        .statusCode(422)
        .body("errors.field", equalTo(List.of("profiles", "selector")));
    admin()
        .header("If-Match", "\"7\"")
        .body(Map.of("variables", Map.of("replicas", "4")))
        .put("/api/v1/clusters/" + id + "/variables")
        .then()
        .statusCode(412);
    admin()
        .body(Map.of("variables", Map.of("replicas", "four")))
        .put("/api/v1/clusters/" + id + "/variables")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("variables.replicas"));
    assertThat(cluster(id).getInt("generation")).isEqualTo(1);
    admin()
        .header("If-Match", "\"1\"")
        .body(Map.of("variables", Map.of("replicas", "4")))
        .put("/api/v1/clusters/" + id + "/variables")
        .then()
        .statusCode(200)
        .header("ETag", containsString("2"));
  }

  static final String KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      clusters: [{name: c, cluster: {server: "https://10.1.2.3:6443", certificate-authority-data: QUJD}}]
      users: [{name: u, user: {token: kc-secret-token-0042}}]
      contexts: [{name: x, context: {cluster: c, user: u}}]
      current-context: x
      """;

  @Test
  void a_kubeconfig_is_sealed_and_appears_in_no_answer_event_or_row() throws Exception {
    JsonPath created =
        admin()
            .body(
                Map.of(
                    "name",
                    unique("real"),
                    "target",
                    Map.of("kind", "kubernetes", "kubeconfig", KUBECONFIG)))
            .post("/api/v1/clusters")
            .then()
            .statusCode(201)
            .body("target.kind", equalTo("kubernetes"))
            .body("target.credentials", equalTo("stored"))
            .extract()
            .jsonPath();
    String id = created.getString("id");
    assertThat(created.prettify()).doesNotContain("kc-secret-token");
    assertThat(admin().get("/api/v1/clusters/" + id).asString()).doesNotContain("kc-secret-token");
    assertThat(admin().get("/api/v1/clusters/" + id + "/generations").asString())
        .doesNotContain("kc-secret-token");
    var events = TopicReader.byKey(RealKafka.bootstrapServers(), Topics.CLUSTER_EVENTS, id, 1);
    assertThat(events.get(0).value()).doesNotContain("kc-secret-token").contains("sealed:" + id);
    try (Connection c = dataSource.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT ciphertext FROM sealed_values WHERE cluster_id = '" + id + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1))
          .doesNotContain("kc-secret-token");
    }
    assertThat(count("SELECT count(*) FROM events WHERE data::text LIKE '%kc-secret-token%'"))
        .isZero();
    // a kubeconfig that does not parse is refused without being quoted, and never logged
    admin()
        .body(
            Map.of(
                "name",
                unique("broken"),
                "target",
                Map.of("kind", "kubernetes", "kubeconfig", "token: [kc-secret-token-0042")))
        .post("/api/v1/clusters")
        .then()
        .statusCode(422)
        .body(org.hamcrest.Matchers.not(containsString("kc-secret-token")));
    java.nio.file.Path log = java.nio.file.Path.of("target/quarkus-test.log");
    assertThat(log).exists();
    assertThat(java.nio.file.Files.readString(log)).doesNotContain("kc-secret-token");

    admin().delete("/api/v1/clusters/" + id).then().statusCode(202).body("prune", equalTo(true));
    admin().get("/api/v1/clusters/" + id).then().statusCode(404);
  }

  @Test
  void a_retried_post_with_an_idempotency_key_is_answered_once() throws Exception {
    ProfileId web = profile(unique("idem"), ProfileType.ADDON, "default");
    awaitKnown(web, "1.0.0", 1);
    String name = unique("idem");
    String key = UUID.randomUUID().toString();
    Map<String, Object> body =
        Map.of(
            "name",
            name,
            "profiles",
            List.of(Map.of("profileId", web.value(), "version", "1.0.0")));
    var first =
        admin()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/api/v1/clusters")
            .then()
            .statusCode(201)
            .extract();
    var again =
        admin()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/api/v1/clusters")
            .then()
            .statusCode(201)
            .extract();
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
    assertThat(count("SELECT count(*) FROM clusters WHERE name = '" + name + "'")).isEqualTo(1);
    // the same key with another body is not that request: replaying would claim it succeeded
    Map<String, Object> otherBody = new java.util.HashMap<>(body);
    otherBody.put("name", name + "-other");
    admin()
        .header("Idempotency-Key", key)
        .body(otherBody)
        .post("/api/v1/clusters")
        .then()
        .statusCode(422)
        .body("detail", containsString("another body"));
    assertThat(count("SELECT count(*) FROM clusters WHERE name = '" + name + "-other'"))
        .isEqualTo(0);
    admin()
        .header("Idempotency-Key", key)
        .body(Map.of("selector", "x=y"))
        .post("/api/v1/clusters/bulk/rollback")
        .then()
        .statusCode(422)
        .body("detail", containsString("another request"));
    // another principal with the same key is another request
    String other = TestAccess.publishApiKey(unique("other"), Role.ADMIN, "default");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> as(other).get("/api/v1/clusters").statusCode() == 200);
    as(other)
        .header("Idempotency-Key", key)
        .body(body)
        .post("/api/v1/clusters")
        .then()
        .statusCode(409);
  }

  @Test
  void a_fleet_registers_in_one_call_all_or_none() throws Exception {
    ProfileId web = profile(unique("fleet"), ProfileType.ADDON, "default");
    awaitKnown(web, "1.0.0", 1);
    String run = unique("fleet");
    java.util.function.IntFunction<Map<String, Object>> cluster =
        i ->
            Map.of(
                "name",
                run + "-" + i,
                "labels",
                Map.of("fleet", run),
                "profiles",
                List.of(Map.of("profileId", web.value(), "version", "1.0.0")),
                "variables",
                Map.of("replicas", i == 2 ? "many" : "1"));
    admin()
        .body(Map.of("clusters", List.of(cluster.apply(0), cluster.apply(1), cluster.apply(2))))
        .post("/api/v1/clusters/bulk/register")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("clusters[2].variables.replicas"));
    admin()
        .queryParam("selector", "fleet=" + run)
        .get("/api/v1/clusters")
        .then()
        .body("items", hasSize(0));
    admin()
        .body(Map.of("clusters", List.of(cluster.apply(0), cluster.apply(1), cluster.apply(3))))
        .post("/api/v1/clusters/bulk/register")
        .then()
        .statusCode(201)
        .body("clusters", hasSize(3))
        .body("clusters[0].generation", equalTo(1));
    admin()
        .queryParam("selector", "fleet=" + run)
        .get("/api/v1/clusters")
        .then()
        .body("items", hasSize(3));
    // the names of a batch are checked against the registry in one query: each taken one named
    admin()
        .body(Map.of("clusters", List.of(cluster.apply(4), cluster.apply(1), cluster.apply(3))))
        .post("/api/v1/clusters/bulk/register")
        .then()
        .statusCode(422)
        .body("errors.field", equalTo(List.of("clusters[1].name", "clusters[2].name")))
        .body("errors[0].message", containsString("exists in project default"));
    admin()
        .queryParam("selector", "fleet=" + run)
        .get("/api/v1/clusters")
        .then()
        .body("items", hasSize(3));
  }

  @Test
  void projects_isolate_clusters_and_only_shared_profiles_cross_them() throws Exception {
    String teamA = unique("team-a");
    String teamB = unique("team-b");
    TestAccess.publishProject(teamA, false);
    TestAccess.publishProject(teamB, false);
    ProfileId bOnly = profile(unique("b-only"), ProfileType.ADDON, teamB);
    ProfileId shared = profile(unique("shared"), ProfileType.ADDON, "default");
    awaitKnown(bOnly, "1.0.0", 1);
    awaitKnown(shared, "1.0.0", 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                admin()
                    .get("/api/v1/projects")
                    .then()
                    .statusCode(200)
                    .extract()
                    .<List<String>>path("items.name")
                    .contains(teamB));

    String operatorA = TestAccess.publishApiKey(unique("op-a"), Role.OPERATOR, teamA);
    String inB =
        admin()
            .body(
                Map.of(
                    "name",
                    unique("b1"),
                    "project",
                    teamB,
                    "profiles",
                    List.of(Map.of("profileId", bOnly.value(), "version", "1.0.0"))))
            .post("/api/v1/clusters")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    admin()
        .body(
            Map.of(
                "name",
                unique("a1"),
                "project",
                teamA,
                "profiles",
                List.of(Map.of("profileId", bOnly.value(), "version", "1.0.0"))))
        .post("/api/v1/clusters")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("profiles[0].profileId"));
    admin()
        .body(
            Map.of(
                "name",
                unique("a1"),
                "project",
                teamA,
                "profiles",
                List.of(Map.of("profileId", shared.value(), "version", "1.0.0"))))
        .post("/api/v1/clusters")
        .then()
        .statusCode(201);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> as(operatorA).get("/api/v1/clusters").statusCode() == 200);
    as(operatorA).get("/api/v1/clusters/" + inB).then().statusCode(404);
    as(operatorA)
        .body(Map.of("variables", Map.of("replicas", "1")))
        .put("/api/v1/clusters/" + inB + "/variables")
        .then()
        .statusCode(404);
    as(operatorA)
        .get("/api/v1/clusters")
        .then()
        .statusCode(200)
        .body("items.project", org.hamcrest.Matchers.everyItem(equalTo(teamA)));
  }
}
