package io.strata.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.marcnuri.helm.Helm;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.Topics;
import io.strata.events.profile.Layer;
import io.strata.events.profile.LayerChange;
import io.strata.events.profile.Manifest;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.write.ProfileCommands;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.TestAccess;
import io.strata.testsupport.TopicReader;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Versions, revisions and the pack registry through the REST API, with the real Helm engine. */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "profile_versions_it"))
class ProfileVersionsIT {
  private static byte[] chart;
  private static byte[] ingressChart;
  private static byte[] otherChart;

  @Inject AgroalDataSource dataSource;
  @Inject EventStore events;
  @Inject ProfileCatalog catalog;
  @Inject ProfileCommands commands;
  @Inject io.micrometer.core.instrument.MeterRegistry meters;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @BeforeAll
  static void charts() throws Exception {
    chart = packageChart("demo", "0.1.0", "");
    otherChart = packageChart("demo", "0.1.0", "# changed\n");
    ingressChart = packageChart("demo", "4.10.0", "");
  }

  /** A chart made and packaged by the real Helm engine. */
  static byte[] packageChart(String name, String version, String extraValues) throws Exception {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "mk-chart");
    Helm helm = Helm.create().withName(name).withDir(dir).call();
    Path values = dir.resolve(name).resolve("values.yaml");
    Files.writeString(values, Files.readString(values) + extraValues);
    Path chartYaml = dir.resolve(name).resolve("Chart.yaml");
    Files.writeString(
        chartYaml,
        Files.readString(chartYaml).replaceFirst("(?m)^version: .*$", "version: " + version));
    Path out = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "pkg");
    helm.packageIt().withDestination(out).call();
    try (var files = Files.list(out)) {
      return Files.readAllBytes(files.findFirst().orElseThrow());
    }
  }

  static RequestSpecification admin() {
    return given().header("Authorization", "Bearer " + TestAccess.adminToken());
  }

  static String unique(String p) {
    return p + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  static io.restassured.response.ValidatableResponse upload(
      String name, String version, String kind, byte[] file) {
    return admin()
        .multiPart("name", name)
        .multiPart("version", version)
        .multiPart("kind", kind)
        .multiPart("values", "replicaCount: 1\n")
        .multiPart("file", "pack.tgz", file, "application/octet-stream")
        .post("/api/v1/packs")
        .then()
        .log()
        .ifValidationFails();
  }

  static String profileBody(String name, String pack) {
    return """
        {"name": "%s", "type": "full", "version": "1.0.0",
         "variables": [{"name": "replicas", "type": "number", "default": "2"}],
         "layers": [
           {"name": "web", "type": "manifest", "manifests": [{"name": "web",
             "content": "apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: web\\nspec:\\n  replicas: {{ .strata.var.replicas }}\\n"}]},
           {"name": "ingress", "type": "helm", "chart": {"pack": "%s", "version": "0.1.0"}, "values": "replicaCount: 2\\n"},
           {"name": "cni", "type": "pack", "pack": {"name": "%s", "version": "0.1.0"}, "values": ""},
           {"name": "offline-bundle", "type": "zarf", "zarf": {"package": "oci://registry.example.com/pkg", "version": "1.0.0"}}
         ]}
        """
        .formatted(name, pack, pack);
  }

  @Test
  @DisplayName(
      "packs: a linted chart is stored by digest; same content again is a no-op, other content a 409; download is byte-exact")
  void packRegistry() {
    String pack = unique("demo");
    String digest =
        upload(pack, "0.1.0", "helm", chart)
            .statusCode(201)
            .body("digest", startsWith("sha256:"))
            .extract()
            .path("digest");
    upload(pack, "0.1.0", "helm", chart).statusCode(200).body("digest", equalTo(digest));
    upload(pack, "0.1.0", "helm", otherChart)
        .statusCode(409)
        .contentType("application/problem+json");
    byte[] downloaded =
        admin()
            .get("/api/v1/packs/" + pack + "/0.1.0/content")
            .then()
            .statusCode(200)
            .header("ETag", containsString(digest))
            .extract()
            .asByteArray();
    assertThat(downloaded).isEqualTo(chart);
    admin()
        .get("/api/v1/packs/" + pack + "/0.1.0")
        .then()
        .statusCode(200)
        .body("kind", equalTo("helm"))
        .body("defaultValues", equalTo("replicaCount: 1\n"));
    admin()
        .queryParam("name", pack)
        .get("/api/v1/packs")
        .then()
        .statusCode(200)
        .body("items.version", hasItem("0.1.0"));
    // real charts' default values run to many kilobytes (a form field; Vert.x allowed 2 KB)
    String values = "replicaCount: 1\n" + "extra:\n" + "  - padding-padding-padding\n".repeat(400);
    admin()
        .multiPart("name", pack + "-v")
        .multiPart("version", "0.1.0")
        .multiPart("kind", "helm")
        .multiPart("values", values)
        .multiPart("file", "pack.tgz", chart, "application/octet-stream")
        .post("/api/v1/packs")
        .then()
        .statusCode(201);
    admin()
        .get("/api/v1/packs/" + pack + "-v/0.1.0")
        .then()
        .statusCode(200)
        .body("defaultValues", equalTo(values));
    // a cut-off form is the client's problem, not a 500
    admin()
        .contentType("multipart/form-data; boundary=xyz")
        .body(
            "--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nabc"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .post("/api/v1/packs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  @Test
  @DisplayName(
      "bad packs: escaping paths, links, non-charts, unknown kinds are 422 and nothing is stored")
  void badPacks() throws Exception {
    long before = count("SELECT count(*) FROM pack_blobs");
    upload(unique("evil"), "1.0.0", "helm", tar("demo/Chart.yaml", "../../etc/passwd"))
        .statusCode(422)
        .body("errors[0].message", containsString("escapes"));
    upload(unique("link"), "1.0.0", "helm", tarWithSymlink())
        .statusCode(422)
        .body("errors[0].message", containsString("link"));
    upload(unique("junk"), "1.0.0", "helm", "not a tarball".getBytes())
        .statusCode(422)
        .body("errors[0].field", equalTo("file"));
    upload(unique("nochart"), "1.0.0", "helm", tar("demo/README.md"))
        .statusCode(422)
        .body("errors[0].message", containsString("Chart.yaml"));
    upload(unique("mismatch"), "1.0.0", "helm", chart)
        .statusCode(422)
        .body("errors.field", hasItem("version"))
        .body("errors[0].message", containsString("says version 0.1.0"));
    upload(unique("k"), "1.0.0", "kustomize", chart)
        .statusCode(422)
        .body("errors.field", hasItem("kind"));
    upload("../x", "1.0", "helm", chart)
        .statusCode(422)
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("version"));
    upload(unique("bundle"), "1.0.0", "manifests", "kind: ConfigMap\n".getBytes())
        .statusCode(422)
        .body("errors[0].message", containsString("apiVersion"));
    upload(
            unique("bundle"),
            "1.0.0",
            "manifests",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n"
                .getBytes())
        .statusCode(201);
    assertThat(count("SELECT count(*) FROM pack_blobs")).isEqualTo(before + 1);
  }

  @Test
  @DisplayName(
      "the canonical edit cycle: all four layer types, pinned digests, a version copied with a swap, two in-place updates, every revision readable, stale If-Match 412, lock, deprecate")
  void versionsAndRevisions() throws Exception {
    String pack = unique("chart");
    String digest = upload(pack, "0.1.0", "helm", chart).statusCode(201).extract().path("digest");
    String name = unique("web-stack");
    String id =
        admin()
            .contentType(ContentType.JSON)
            .body(profileBody(name, pack))
            .post("/api/v1/profiles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String v = "/api/v1/profiles/" + id + "/versions/";

    JsonPath r1 =
        admin()
            .get(v + "1.0.0")
            .then()
            .statusCode(200)
            .header("ETag", equalTo("\"1\""))
            .extract()
            .jsonPath();
    assertThat(r1.getString("layers[1].chart.digest")).isEqualTo(digest);
    assertThat(r1.getString("layers[2].pack.digest")).isEqualTo(digest);
    assertThat(r1.getList("layers.type")).containsExactly("manifest", "helm", "pack", "zarf");

    // 1.1.0 from 1.0.0 with the helm layer swapped for a manifest layer
    String swapped =
        """
        {"version": "1.1.0", "from": "1.0.0", "layers": [
          {"name": "web", "type": "manifest", "manifests": [{"name": "web", "content": "apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: web\\n"}]},
          {"name": "ingress", "type": "manifest", "manifests": [{"name": "ing", "content": "apiVersion: networking.k8s.io/v1\\nkind: Ingress\\nmetadata:\\n  name: web\\n"}]}]}
        """;
    admin()
        .contentType(ContentType.JSON)
        .body(swapped)
        .post(v.substring(0, v.length() - 1))
        .then()
        .statusCode(201)
        .body("revision", equalTo(1));
    admin()
        .get(v + "1.1.0")
        .then()
        .statusCode(200)
        .body("copiedFrom", equalTo("1.0.0"))
        .body("layers[1].type", equalTo("manifest"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"version\": \"1.1.0\", \"from\": \"1.0.0\"}")
        .post(v.substring(0, v.length() - 1))
        .then()
        .statusCode(409);

    // two in-place updates of 1.0.0
    List<Object> layers1 = r1.getList("layers");
    String update2 = updateBody(r1, "replicaCount: 3\\n");
    admin()
        .contentType(ContentType.JSON)
        .header("If-Match", "\"1\"")
        .body(update2)
        .put(v + "1.0.0")
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"2\""))
        .body("revision", equalTo(2))
        .body("changes[0].kind", equalTo("reconfigured"));
    long events = count("SELECT count(*) FROM events");
    admin()
        .contentType(ContentType.JSON)
        .header("If-Match", "\"1\"")
        .body(updateBody(r1, "replicaCount: 9\\n"))
        .put(v + "1.0.0")
        .then()
        .statusCode(412)
        .contentType("application/problem+json");
    admin().contentType(ContentType.JSON).body(update2).put(v + "1.0.0").then().statusCode(428);
    assertThat(count("SELECT count(*) FROM events")).isEqualTo(events);
    admin()
        .contentType(ContentType.JSON)
        .header("If-Match", "\"2\"")
        .body(updateBody(r1, "replicaCount: 4\\n"))
        .put(v + "1.0.0")
        .then()
        .statusCode(200)
        .body("revision", equalTo(3));

    assertThat(
            admin()
                .get(v + "1.0.0/revisions/1")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("layers"))
        .isEqualTo(layers1);
    admin()
        .get(v + "1.0.0/revisions/2")
        .then()
        .statusCode(200)
        .body("layers[1].values", equalTo("replicaCount: 3\n"))
        .body("latestRevision", equalTo(3));
    admin()
        .get(v + "1.0.0/revisions/3")
        .then()
        .statusCode(200)
        .body("layers[1].values", equalTo("replicaCount: 4\n"));
    admin().get(v + "1.0.0").then().statusCode(200).body("revision", equalTo(3));
    admin().get(v + "1.0.0/revisions/4").then().statusCode(404);
    admin()
        .get(v + "1.0.0/revisions/abc")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("revision abc"));
    admin()
        .queryParam("type", "bogus")
        .get("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("type"));
    admin()
        .queryParam("limit", "abc")
        .get("/api/v1/profiles")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("limit"));

    // the event carries the whole new content and the changes
    List<ConsumerRecord<String, String>> updates =
        TopicReader.read(
            bootstrap,
            Topics.PROFILE_EVENTS,
            r ->
                id.equals(r.key())
                    && "io.strata.profile.ProfileVersionUpdated.v1"
                        .equals(TopicReader.header(r, "ce_type")),
            2);
    ConsumerRecord<String, String> updated = updates.get(updates.size() - 1);
    assertThat(updated.value())
        .contains("\"revision\":3")
        .contains("replicaCount: 4")
        .contains("\"kind\":\"reconfigured\"")
        .contains("offline-bundle");

    admin().post(v + "1.0.0/lock").then().statusCode(200);
    admin()
        .contentType(ContentType.JSON)
        .header("If-Match", "\"3\"")
        .body(updateBody(r1, "replicaCount: 5\\n"))
        .put(v + "1.0.0")
        .then()
        .statusCode(409)
        .body("detail", containsString("locked"));
    admin()
        .queryParam("reason", "superseded by 1.1.0")
        .post(v + "1.0.0/deprecate")
        .then()
        .statusCode(200);
    admin()
        .get("/api/v1/profiles/" + id)
        .then()
        .statusCode(200)
        .body("versions.version", org.hamcrest.Matchers.contains("1.0.0", "1.1.0"))
        .body("versions[0].status", equalTo("deprecated"));
  }

  @Test
  @DisplayName(
      "many in-place updates (past several snapshots) keep every revision and the right state")
  void manyRevisions() {
    String id = createWithConfigMap("many", "v1");
    String v = "/api/v1/profiles/" + id + "/versions/1.0.0";
    for (int rev = 1; rev <= 40; rev++) {
      putLayers(v, rev, "v" + (rev + 1)).statusCode(200).body("revision", equalTo(rev + 1));
    }
    admin()
        .get(v)
        .then()
        .statusCode(200)
        .body("revision", equalTo(41))
        .body("layers[0].manifests[0].content", containsString("v41"));
    admin()
        .get(v + "/revisions/7")
        .then()
        .statusCode(200)
        .body("layers[0].manifests[0].content", containsString("v7"));
    putLayers(v, 40, "stale").statusCode(412);
  }

  @Test
  @DisplayName(
      "reading a group's profiles sets the transaction's lock timeout, and only that transaction's")
  void groupReadSetsTheLockTimeout() throws Exception {
    String id = createWithConfigMap("timeout", "a");
    try (java.sql.Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      String before = lockTimeout(c);
      assertThat(catalog.findAllForWriting(c, List.of(id), java.time.Duration.ofMillis(1234)))
          .containsOnlyKeys(id);
      assertThat(lockTimeout(c)).isEqualTo("1234ms");
      c.commit();
      assertThat(lockTimeout(c)).isEqualTo(before).isNotEqualTo("1234ms");
    }
  }

  private static String lockTimeout(java.sql.Connection c) throws Exception {
    try (var st = c.createStatement();
        var rs = st.executeQuery("SHOW lock_timeout")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  @DisplayName(
      "a command on a profile whose kept state another replica moved on folds that replica's events first")
  void keptStateCatchesUp() {
    String id = createWithConfigMap("replicas", "mine");
    String v = "/api/v1/profiles/" + id + "/versions/1.0.0";
    // this replica commands the profile once, so it keeps the state (revision 2)
    putLayers(v, 1, "mine-2").statusCode(200).body("revision", equalTo(2));
    // created (1), version created (2), updated (3)
    assertThat(commands.keptSeq(id)).contains(3L);
    // another replica appends revision 3 straight to the event store
    appendAsOtherReplica(id, 3, "theirs");
    // a stale If-Match (the kept revision) is refused: the command saw revision 3
    putLayers(v, 2, "stale").statusCode(412);
    putLayers(v, 3, "mine-4")
        .statusCode(200)
        .body("revision", equalTo(4))
        .body("changes[0].layer", equalTo("cm"));
    // a refused command keeps nothing; this one kept the state after the other replica's event
    assertThat(commands.keptSeq(id)).contains(5L);
    admin()
        .get(v + "/revisions/3")
        .then()
        .statusCode(200)
        .body("layers[0].manifests[0].content", containsString("theirs"));
    admin()
        .get(v)
        .then()
        .statusCode(200)
        .body("revision", equalTo(4))
        .body("layers[0].manifests[0].content", containsString("mine-4"));
    // the other replica takes more commands than are caught up one by one: the snapshot is read
    for (int rev = 5; rev <= 4 + 9; rev++) {
      appendAsOtherReplica(id, rev, "theirs-" + rev);
    }
    putLayers(v, 13, "mine-14").statusCode(200).body("revision", equalTo(14));
    assertThat(commands.keptSeq(id)).contains(15L);
    admin()
        .get(v + "/revisions/13")
        .then()
        .statusCode(200)
        .body("layers[0].manifests[0].content", containsString("theirs-13"));
  }

  @Test
  @DisplayName(
      "commands that queue while a group commits are the next group: one transaction, each decided on the state the earlier ones left, a refused one alone; a failed group is redone command by command")
  void queuedCommandsCommitAsOneGroup() throws Exception {
    // four profiles whose commands the same writer carries out
    List<String> ids = new java.util.ArrayList<>();
    while (ids.size() < 4) {
      String id = createWithConfigMap("group", "start");
      if (ids.isEmpty() || commands.writerOf(id) == commands.writerOf(ids.get(0))) {
        ids.add(id);
      }
    }
    String blocked = ids.get(0);
    String twice = ids.get(1);
    String refused = ids.get(2);
    String last = ids.get(3);
    java.util.Map<String, java.util.concurrent.Callable<Integer>> queued =
        new java.util.LinkedHashMap<>();
    queued.put("twice-1", () -> status(putLayers(version(twice), 1, "t1")));
    queued.put("twice-2", () -> status(putLayers(version(twice), 1, "t2")));
    queued.put("refused", () -> status(putInvalid(version(refused))));
    queued.put("last", () -> status(putLayers(version(last), 1, "l")));
    java.util.Map<String, Integer> answered = behindHeldGroup(blocked, 1, queued);
    assertThat(answered.get("blocked")).isEqualTo(200);
    // both updates of one profile named revision 1: the one decided second saw revision 2
    assertThat(List.of(answered.get("twice-1"), answered.get("twice-2")))
        .containsExactlyInAnyOrder(200, 412);
    assertThat(answered.get("refused")).isEqualTo(422);
    assertThat(answered.get("last")).isEqualTo(200);
    assertThat(
            count(
                "SELECT count(DISTINCT xmin::text) FROM events WHERE seq = 3 AND aggregate_id IN"
                    + " ('"
                    + twice
                    + "', '"
                    + last
                    + "')"))
        .as("the queued commands committed in one transaction")
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM events WHERE aggregate_id = '" + refused + "'"))
        .isEqualTo(2);
    admin().get(version(twice)).then().statusCode(200).body("revision", equalTo(2));

    // a group whose transaction fails is redone command by command: only the refused one fails
    double redoneBefore = meters.get("strata.profile.command.redone").counter().count();
    queued.clear();
    queued.put("twice", () -> status(putLayers(version(twice), 2, "t3")));
    queued.put("last", () -> status(putLayers(version(last), 2, "l2")));
    var refusing = io.strata.testsupport.RefusedEvents.after(dataSource, last, 0);
    try {
      answered = behindHeldGroup(blocked, 2, queued);
    } finally {
      refusing.close();
    }
    assertThat(answered.get("blocked")).isEqualTo(200);
    assertThat(answered.get("twice")).isEqualTo(200);
    assertThat(answered.get("last")).isGreaterThanOrEqualTo(500);
    assertThat(meters.get("strata.profile.command.redone").counter().count() - redoneBefore)
        .as("both queued commands were redone alone after their group failed")
        .isEqualTo(2.0);
    admin().get(version(twice)).then().statusCode(200).body("revision", equalTo(3));
    admin().get(version(last)).then().statusCode(200).body("revision", equalTo(2));
  }

  /**
   * Holds the row of {@code blocked} while an update of it (at {@code ifMatch}) waits on the lock
   * in its writer's group, sends the {@code queued} commands meanwhile, and lets go once they all
   * wait for that writer: they are its next group. Answers every status, the held one as "blocked".
   */
  private java.util.Map<String, Integer> behindHeldGroup(
      String blocked,
      int ifMatch,
      java.util.Map<String, java.util.concurrent.Callable<Integer>> queued)
      throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(queued.size() + 1);
    try {
      java.util.Map<String, java.util.concurrent.Future<Integer>> sent =
          new java.util.LinkedHashMap<>();
      try (Connection lock = dataSource.getConnection()) {
        lock.setAutoCommit(false);
        lock.createStatement()
            .execute("SELECT 1 FROM profile_catalog WHERE id = '" + blocked + "' FOR UPDATE");
        sent.put(
            "blocked",
            pool.submit(() -> status(putLayers(version(blocked), ifMatch, "held-" + ifMatch))));
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(
                () ->
                    count(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND query LIKE '%profile_catalog%'")
                        == 1);
        queued.forEach((name, command) -> sent.put(name, pool.submit(command)));
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(() -> commands.waiting() == queued.size());
        lock.commit();
      }
      java.util.Map<String, Integer> answered = new java.util.LinkedHashMap<>();
      for (var e : sent.entrySet()) {
        answered.put(e.getKey(), e.getValue().get());
      }
      return answered;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String version(String id) {
    return "/api/v1/profiles/" + id + "/versions/1.0.0";
  }

  private static int status(io.restassured.response.ValidatableResponse response) {
    return response.extract().statusCode();
  }

  /** An in-place update whose manifest has no metadata.name: refused with 422. */
  private static io.restassured.response.ValidatableResponse putInvalid(String v) {
    return admin()
        .contentType(ContentType.JSON)
        .header("If-Match", "\"1\"")
        .body(
            "{\"layers\": [{\"name\": \"cm\", \"type\": \"manifest\", \"manifests\": [{\"name\":"
                + " \"cm\", \"content\": \"apiVersion: v1\\nkind: ConfigMap\\n\"}]}]}")
        .put(v)
        .then();
  }

  /** A full profile (unique name from {@code prefix}), 1.0.0 of one ConfigMap layer; its id. */
  private static String createWithConfigMap(String prefix, String data) {
    return admin()
        .contentType(ContentType.JSON)
        .body(
            "{\"name\": \""
                + unique(prefix)
                + "\", \"type\": \"full\", \"version\": \"1.0.0\", \"layers\": ["
                + cm(data)
                + "]}")
        .post("/api/v1/profiles")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** An in-place update of version {@code v} to one ConfigMap layer holding {@code data}. */
  private static io.restassured.response.ValidatableResponse putLayers(
      String v, int ifMatch, String data) {
    return admin()
        .contentType(ContentType.JSON)
        .header("If-Match", "\"" + ifMatch + "\"")
        .body("{\"layers\": [" + cm(data) + "]}")
        .put(v)
        .then();
  }

  /** Appends an in-place update as another replica would: straight to the event store. */
  private void appendAsOtherReplica(String id, int revision, String data) {
    Layer theirs =
        new Layer.ManifestLayer(
            "cm",
            List.of(
                new Manifest(
                    "cm",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  v: "
                        + data
                        + "\n")));
    events.inTransaction(
        c -> {
          List<EventEnvelope> appended =
              events.append(
                  c,
                  id,
                  events.lastSeq(c, id),
                  List.of(
                      new ProfileEvent.ProfileVersionUpdated(
                          ProfileId.of(id),
                          Semver.parse("1.0.0"),
                          revision,
                          List.of(),
                          List.of(theirs),
                          List.of(new LayerChange("cm", LayerChange.Kind.RECONFIGURED)))),
                  new CommandMetadata("other-replica", "", "default"));
          catalog.apply(c, appended);
          return appended;
        });
  }

  private static String cm(String data) {
    return "{\"name\": \"cm\", \"type\": \"manifest\", \"manifests\": [{\"name\": \"cm\", \"content\":"
        + " \"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: cm\\ndata:\\n  v: "
        + data
        + "\\n\"}]}";
  }

  @Test
  @DisplayName(
      "export then import under a new name gives an equal profile; same name+version is 409 unless asNewVersion")
  void exportImport() {
    String pack = unique("chart");
    upload(pack, "0.1.0", "helm", chart).statusCode(201);
    String name = unique("src");
    String id =
        admin()
            .contentType(ContentType.JSON)
            .body(profileBody(name, pack))
            .post("/api/v1/profiles")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String export =
        admin()
            .queryParam("embedPacks", true)
            .get("/api/v1/profiles/" + id + "/versions/1.0.0/export")
            .then()
            .statusCode(200)
            .body("format", equalTo("strata.profile/v1"))
            .body("packs[0].content", org.hamcrest.Matchers.not(equalTo("")))
            .extract()
            .asString();
    String copy = unique("copy");
    String copyId =
        admin()
            .contentType(ContentType.JSON)
            .queryParam("name", copy)
            .body(export)
            .post("/api/v1/profiles/import")
            .then()
            .statusCode(201)
            .body("source", equalTo("strata"))
            .extract()
            .path("id");
    JsonPath original =
        admin().get("/api/v1/profiles/" + id + "/versions/1.0.0").then().extract().jsonPath();
    JsonPath imported =
        admin().get("/api/v1/profiles/" + copyId + "/versions/1.0.0").then().extract().jsonPath();
    assertThat(imported.getList("layers")).isEqualTo(original.getList("layers"));
    assertThat(imported.getList("variables")).isEqualTo(original.getList("variables"));
    admin()
        .contentType(ContentType.JSON)
        .queryParam("name", copy)
        .body(export)
        .post("/api/v1/profiles/import")
        .then()
        .statusCode(409);
    admin()
        .contentType(ContentType.JSON)
        .queryParam("name", copy)
        .queryParam("asNewVersion", "2.0.0")
        .body(export)
        .post("/api/v1/profiles/import")
        .then()
        .statusCode(201)
        .body("id", equalTo(copyId))
        .body("version", equalTo("2.0.0"));
    String tampered = tamperFirstPack(export);
    admin()
        .contentType(ContentType.JSON)
        .queryParam("name", unique("t"))
        .body(tampered)
        .post("/api/v1/profiles/import")
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("digest"));
    // a refused import stores nothing, not even the packs it embeds
    String unknownPack = unique("embedded");
    for (String field : List.of("layers[0].manifests[0].content", "layers[1].chart.url")) {
      admin()
          .contentType(ContentType.JSON)
          .queryParam("name", unique("b"))
          .body(withEmbeddedPackRenamedAndOneBadField(export, unknownPack, field))
          .post("/api/v1/profiles/import")
          .then()
          .statusCode(422)
          .body("errors.field", hasItem(field));
      admin()
          .queryParam("name", unknownPack)
          .get("/api/v1/packs")
          .then()
          .statusCode(200)
          .body("items", org.hamcrest.Matchers.empty());
    }
    // an enum is its name, in an import as in any request
    admin()
        .contentType(ContentType.JSON)
        .queryParam("name", unique("n"))
        .body(export.replace("\"type\":\"full\"", "\"type\":1"))
        .post("/api/v1/profiles/import")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("profile.type"));
    admin()
        .contentType(ContentType.JSON)
        .body("{\"hello\": 1}")
        .post("/api/v1/profiles/import")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("format"));
  }

  @Test
  @DisplayName(
      "a Palette cluster profile export imports with its packs mapped to layers, and says what it could not map")
  void paletteImport() {
    String pack = unique("ingress-nginx");
    upload(pack, "4.10.0", "helm", ingressChart).statusCode(201);
    String palette =
        """
        {"metadata": {"name": "Web Stack (Palette)", "description": "from palette", "labels": {"team": "web"}},
         "spec": {"version": "1.2.0", "template": {"type": "add-on", "cloudType": "all", "packs": [
           {"name": "%s", "type": "helm", "layer": "addon", "version": "4.10.0", "tag": "4.10.0", "values": "controller:\\n  replicaCount: 2\\n", "registry": ""},
           {"name": "hello-manifests", "type": "manifest", "layer": "addon", "version": "1.0.0", "values": "",
            "manifests": [{"name": "hello", "content": "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: hello\\n"}]},
           {"name": "prometheus", "type": "oci", "layer": "addon", "version": "25.0.0", "registry": "oci://ghcr.io/prometheus-community/charts", "values": ""},
           {"name": "csi-aws-ebs", "type": "spectro", "layer": "csi", "version": "1.22.0", "values": ""}
         ]}}}
        """
            .formatted(pack);
    JsonPath r =
        admin()
            .contentType(ContentType.JSON)
            .body(palette)
            .post("/api/v1/profiles/import")
            .then()
            .statusCode(201)
            .body("source", equalTo("palette"))
            .body("name", equalTo("web-stack-palette"))
            .extract()
            .jsonPath();
    assertThat(r.getList("unmapped.pack")).containsExactly("csi-aws-ebs");
    JsonPath v =
        admin()
            .get("/api/v1/profiles/" + r.getString("id") + "/versions/1.2.0")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(v.getList("layers.type")).containsExactly("helm", "manifest", "helm");
    assertThat(v.getString("layers[0].chart.digest")).startsWith("sha256:");
    assertThat(v.getString("layers[2].chart.url"))
        .isEqualTo("oci://ghcr.io/prometheus-community/charts/prometheus");
    admin()
        .get("/api/v1/profiles/" + r.getString("id"))
        .then()
        .body("type", equalTo("addon"))
        .body("tags", hasItem("team.web"));
  }

  @Test
  @DisplayName("save-time validation lists every problem with its layer and field")
  void validation() {
    String body =
        """
        {"name": "%s", "type": "addon", "version": "1.0.0", "layers": [
          {"name": "a", "type": "helm", "chart": {"pack": "missing-chart", "version": "9.9.9"}, "values": "- not\\n- a mapping\\n"},
          {"name": "a", "type": "manifest", "manifests": [{"name": "m", "content": "kind: [unclosed"}]},
          {"name": "b", "type": "helm", "chart": {"url": "https://10.0.0.1/charts/x.tgz", "version": "1.0.0"}},
          {"name": "c", "type": "helm", "chart": {"url": "file:///etc/passwd", "version": "1.0.0"}},
          {"name": "z", "type": "zarf", "zarf": {"packageRef": "oci://r/p", "version": "1"}}
        ]}
        """
            .formatted(unique("bad"));
    List<String> fields =
        admin()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/profiles")
            .then()
            .statusCode(422)
            .extract()
            .jsonPath()
            .getList("errors.field");
    assertThat(fields)
        .contains(
            "layers[0].values",
            "layers[1].name",
            "layers[1].manifests[0].content",
            "layers[0].chart",
            "layers[2].chart.url",
            "layers[3].chart.url",
            "layers[4].type");
    String many =
        "{\"name\": \"many\", \"type\": \"full\", \"version\": \"1.0.0\", \"layers\": ["
            + String.join(
                ",", java.util.Collections.nCopies(10_000, "{\"name\": \"x\", \"type\": \"zarf\"}"))
            + "]}";
    admin()
        .contentType(ContentType.JSON)
        .body(many)
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("layers"));
    String bomb =
        "a: &a [x,x,x,x,x,x,x,x,x]\\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\\n";
    String withBomb =
        "{\"name\": \"bomb\", \"type\": \"full\", \"version\": \"1.0.0\", \"layers\": [{\"name\": \"h\", \"type\": \"helm\", \"chart\": {\"url\": \"https://charts.example.com/x.tgz\", \"version\": \"1\"}, \"values\": \""
            + bomb
            + "\"}]}";
    admin()
        .contentType(ContentType.JSON)
        .body(withBomb)
        .post("/api/v1/profiles")
        .then()
        .statusCode(422)
        .body("errors[0].field", equalTo("layers[0].values"));
  }

  /**
   * The export with its first pack (and the layers using it) renamed, and {@code field} made bad:
   * the first manifest without kind, or the second layer a chart at a private address.
   */
  private static String withEmbeddedPackRenamedAndOneBadField(
      String export, String newName, String field) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(export);
      var pack = (com.fasterxml.jackson.databind.node.ObjectNode) doc.withArray("packs").get(0);
      String oldName = pack.get("name").asText();
      pack.put("name", newName);
      for (var layer : doc.withArray("layers")) {
        var l = (com.fasterxml.jackson.databind.node.ObjectNode) layer;
        if (l.path("chart").path("pack").asText().equals(oldName)) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) l.get("chart")).put("pack", newName);
        }
        if (l.path("pack").path("name").asText().equals(oldName)) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) l.get("pack")).put("name", newName);
        }
      }
      if (field.endsWith("content")) {
        var manifest =
            (com.fasterxml.jackson.databind.node.ObjectNode)
                doc.withArray("layers").get(0).withArray("manifests").get(0);
        manifest.put("content", "apiVersion: v1\nmetadata:\n  name: no-kind\n");
      } else {
        var chart = mapper.createObjectNode();
        chart.put("url", "https://0x7f000001/c.tgz").put("version", "1.0.0");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.withArray("layers").get(1))
            .set("chart", chart);
      }
      return mapper.writeValueAsString(doc);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tamperFirstPack(String export) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(export);
      var pack = (com.fasterxml.jackson.databind.node.ObjectNode) doc.withArray("packs").get(0);
      pack.put("content", java.util.Base64.getEncoder().encodeToString("not the chart".getBytes()));
      return mapper.writeValueAsString(doc);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String updateBody(JsonPath base, String ingressValues) {
    String pack = base.getString("layers[1].chart.pack");
    return """
        {"layers": [
           {"name": "web", "type": "manifest", "manifests": [{"name": "web",
             "content": "apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: web\\nspec:\\n  replicas: {{ .strata.var.replicas }}\\n"}]},
           {"name": "ingress", "type": "helm", "chart": {"pack": "%s", "version": "0.1.0"}, "values": "%s"},
           {"name": "cni", "type": "pack", "pack": {"name": "%s", "version": "0.1.0"}, "values": ""},
           {"name": "offline-bundle", "type": "zarf", "zarf": {"packageRef": "oci://registry.example.com/pkg", "version": "1.0.0"}}
         ]}
        """
        .formatted(pack, ingressValues, pack);
  }

  private long count(String sql) throws Exception {
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static byte[] tar(String... names) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      for (String n : names) {
        byte[] content = "name: demo\nversion: 0.1.0\napiVersion: v2\n".getBytes();
        TarArchiveEntry e = new TarArchiveEntry(n, true);
        e.setSize(content.length);
        t.putArchiveEntry(e);
        t.write(content);
        t.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] tarWithSymlink() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      TarArchiveEntry link =
          new TarArchiveEntry("demo/templates/x.yaml", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      t.putArchiveEntry(link);
      t.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}
