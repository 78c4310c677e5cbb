package io.strata.reconciler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.strata.events.ClusterEvent;
import io.strata.events.ClusterId;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.Topics;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.ClusterTarget;
import io.strata.events.cluster.TargetKind;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.testsupport.KafkaAndPostgresResource;
import io.strata.testsupport.RealKafka;
import io.strata.testsupport.TestAccess;
import io.strata.testsupport.TestEvents;
import io.strata.testsupport.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Simulated clusters converge on what their spec renders, prune what is no longer desired, fail on
 * workloads that never become ready, and converge again after a rollback — events in, events out,
 * on the real broker and database.
 */
@QuarkusTest
@QuarkusTestResource(
    value = KafkaAndPostgresResource.class,
    initArgs = @ResourceArg(name = "database", value = "reconciler_it"))
class ReconcilerIT {
  static final String WEB =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
          + "spec: {replicas: {{ .strata.var.replicas }}, template: {metadata: {annotations: {%s}}}}\n";
  static final String SERVICE =
      "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{port: 80}]}\n";

  static RequestSpecification admin() {
    return given()
        .header("Authorization", "Bearer " + TestAccess.adminToken())
        .contentType(ContentType.JSON);
  }

  static List<Layer> layers(String annotations, boolean withService) {
    List<Manifest> manifests =
        withService
            ? List.of(new Manifest("web", WEB.formatted(annotations)), new Manifest("svc", SERVICE))
            : List.of(new Manifest("web", WEB.formatted(annotations)));
    return List.of(new Layer.ManifestLayer("app", manifests));
  }

  static final List<Variable> VARS =
      List.of(new Variable("replicas", VariableType.NUMBER, "2", false, "", false));

  static ClusterSpec spec(long generation, ProfileId profile, int revision, String version) {
    return new ClusterSpec(
        generation,
        List.of(new AttachedProfile(profile, "web-stack", Semver.parse(version), revision)),
        Map.of("replicas", "3"),
        List.of());
  }

  static JsonPath awaitOutcome(String cluster, long generation, String phase) {
    return awaitOutcome(cluster, generation, phase, "");
  }

  /**
   * The outcome once it is {@code phase} at {@code generation} with an error containing {@code
   * error}: a cluster may arrive before its profile, and that first (retried) failure is not it.
   */
  static JsonPath awaitOutcome(String cluster, long generation, String phase, String error) {
    java.util.concurrent.atomic.AtomicReference<JsonPath> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var r = admin().get("/api/v1/reconciliations/" + cluster);
              if (r.statusCode() != 200) {
                return false;
              }
              JsonPath j = r.jsonPath();
              seen.set(j);
              return j.getLong("generation") == generation
                  && phase.equals(j.getString("phase"))
                  && j.getString("error").contains(error);
            });
    return seen.get();
  }

  /** A cluster as cluster-service would announce its registration (drift policy correct). */
  static void registered(ClusterId cluster, String name, ClusterTarget target, ClusterSpec spec) {
    TestEvents.publish(
        new ClusterEvent.ClusterRegistered(
            cluster,
            name,
            Map.of(),
            target,
            spec,
            "default",
            io.strata.events.cluster.DriftPolicy.CORRECT),
        "default");
  }

  /** An addon profile, as profile-service would announce it; its versions come separately. */
  static ProfileId profileCreated(String prefix) {
    ProfileId profile = ProfileId.generate();
    TestEvents.publish(
        new ProfileEvent.ProfileCreated(
            profile,
            prefix + profile.value().substring(2, 8),
            ProfileType.ADDON,
            "",
            List.of(),
            "default"),
        "default");
    return profile;
  }

  @Test
  void a_simulated_cluster_converges_prunes_fails_on_unhealthy_workloads_and_recovers() {
    ProfileId profile = profileCreated("web-stack-");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            profile, Semver.parse("1.0.0"), 1, "", VARS, layers("a: b", true)),
        "default");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionUpdated(
            profile, Semver.parse("1.0.0"), 2, VARS, layers("a: b", false), List.of()),
        "default");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            profile,
            Semver.parse("1.1.0"),
            1,
            "",
            VARS,
            layers("sim.strata.io/healthy: 'false'", false)),
        "default");
    ClusterId cluster = ClusterId.generate();
    String id = cluster.value();

    // generation 1 converges: both objects, labelled, replicas from the cluster's variable
    registered(
        cluster,
        "sim-1",
        new ClusterTarget(TargetKind.SIMULATED, ""),
        spec(1, profile, 1, "1.0.0"));
    JsonPath first = awaitOutcome(id, 1, "Converged");
    assertThat(first.getList("objects.action")).containsExactly("created", "created");
    JsonPath live = admin().get("/api/v1/targets/" + id + "/objects").jsonPath();
    Map<String, Object> deployment = live.getMap("objects.'apps/v1/Deployment/shop/web'");
    assertThat(((Map<?, ?>) deployment.get("spec")).get("replicas")).isEqualTo(3);
    assertThat(
            ((Map<?, ?>) ((Map<?, ?>) deployment.get("metadata")).get("labels"))
                .get("strata.io/generation"))
        .isEqualTo("1");
    assertThat(
            admin()
                .get("/api/v1/clusters/" + id + "/desired")
                .jsonPath()
                .getString("desiredDigest"))
        .isEqualTo(first.getString("desiredDigest"));

    // an object we did not create is never pruned; the Service, no longer desired, is
    admin()
        .body(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "theirs")))
        .put("/api/v1/targets/" + id + "/objects/v1/ConfigMap/_/theirs")
        .then()
        .statusCode(200);
    TestEvents.publish(
        new ClusterEvent.ClusterUpdatesApplied(cluster, spec(2, profile, 2, "1.0.0"), List.of()),
        "default");
    JsonPath second = awaitOutcome(id, 2, "Converged");
    assertThat(second.getList("objects.action")).containsExactly("updated", "pruned");
    live = admin().get("/api/v1/targets/" + id + "/objects").jsonPath();
    assertThat(live.getMap("objects"))
        .containsKey("v1/ConfigMap//theirs")
        .doesNotContainKey("v1/Service/shop/web");

    // a release whose workload never becomes ready fails with a message
    TestEvents.publish(
        new ClusterEvent.ClusterProfilesAttached(cluster, spec(3, profile, 1, "1.1.0"), "upgrade"),
        "default");
    // the apply waits for readiness (1 s here), longer than the grace: Started is recorded
    // meanwhile, so the cluster shows Reconciling until the outcome
    awaitOutcome(id, 3, "Reconciling");
    JsonPath failed = awaitOutcome(id, 3, "Failed", "not ready");
    assertThat(failed.getString("error")).contains("Deployment/web is not ready");

    // and a rollback converges again
    TestEvents.publish(
        new ClusterEvent.ClusterRolledBack(cluster, spec(4, profile, 2, "1.0.0"), 2), "default");
    awaitOutcome(id, 4, "Converged");

    var events = TopicReader.byKey(RealKafka.bootstrapServers(), Topics.RECONCILE_EVENTS, id, 8);
    assertThat(events)
        .extracting(r -> TopicReader.header(r, "ce_type"))
        .containsSubsequence(
            "io.strata.reconcile.ReconcileStarted.v1",
            "io.strata.reconcile.ReconcileSucceeded.v1",
            "io.strata.reconcile.ReconcileStarted.v1",
            "io.strata.reconcile.ReconcileSucceeded.v1",
            "io.strata.reconcile.ReconcileStarted.v1",
            "io.strata.reconcile.ReconcileFailed.v1",
            "io.strata.reconcile.ReconcileStarted.v1",
            "io.strata.reconcile.ReconcileSucceeded.v1");
  }

  @Test
  void preview_shows_a_change_before_it_is_applied_and_drift_is_corrected_or_reported() {
    ProfileId profile = profileCreated("drift-");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            profile, Semver.parse("1.0.0"), 1, "", VARS, layers("a: b", true)),
        "default");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            profile, Semver.parse("1.1.0"), 1, "", VARS, layers("a: c", false)),
        "default");
    ClusterId cluster = ClusterId.generate();
    String id = cluster.value();
    registered(
        cluster,
        "drift-1",
        new ClusterTarget(TargetKind.SIMULATED, ""),
        spec(1, profile, 1, "1.0.0"));
    awaitOutcome(id, 1, "Converged");

    // preview of 1.1.0: the annotation changes, the Service would be pruned; nothing is applied
    JsonPath preview =
        admin()
            .body(
                Map.of(
                    "profiles", List.of(Map.of("profileId", profile.value(), "version", "1.1.0"))))
            .post("/api/v1/clusters/" + id + "/preview")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(preview.getList("created")).isEmpty();
    assertThat(preview.getList("pruned.kind")).containsExactly("Service");
    assertThat(preview.getList("changed.object.kind")).containsExactly("Deployment");
    assertThat(preview.getList("changed[0].changes.path"))
        .as("the annotation, and the profile label that names the version")
        .contains("spec.template.metadata.annotations.a")
        .noneMatch(p -> p.toString().contains("generation"));
    assertThat(
            preview.getString(
                "changed[0].changes.find { it.path == 'spec.template.metadata.annotations.a' }.to"))
        .isEqualTo("c");
    assertThat(admin().get("/api/v1/targets/" + id + "/objects").jsonPath().getMap("objects"))
        .containsKey("v1/Service/shop/web");
    admin()
        .body(Map.of("profiles", List.of(Map.of("profileId", profile.value(), "version", "9.0.0"))))
        .post("/api/v1/clusters/" + id + "/preview")
        .then()
        .statusCode(422)
        .body(org.hamcrest.Matchers.containsString("profiles[0].version"));

    // policy correct: an out-of-band change is put back by the periodic check
    String deployment = "/api/v1/targets/" + id + "/objects/apps/v1/Deployment/shop/web";
    Map<String, Object> scaledDown =
        Map.of(
            "apiVersion",
            "apps/v1",
            "kind",
            "Deployment",
            "metadata",
            Map.of("name", "web", "namespace", "shop"),
            "spec",
            Map.of("replicas", 1));
    admin().body(scaledDown).put(deployment).then().statusCode(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Integer.valueOf(3)
                    .equals(
                        admin()
                            .get("/api/v1/targets/" + id + "/objects")
                            .jsonPath()
                            .get("objects.'apps/v1/Deployment/shop/web'.spec.replicas")));
    var events = TopicReader.byKey(RealKafka.bootstrapServers(), Topics.RECONCILE_EVENTS, id, 4);
    assertThat(events)
        .extracting(r -> TopicReader.header(r, "ce_type"))
        .containsSubsequence(
            "io.strata.reconcile.DriftDetected.v1", "io.strata.reconcile.DriftCorrected.v1");
    String metrics = given().get("/q/metrics").asString();
    assertThat(metrics)
        .contains(
            "strata_reconciles_total{outcome=\"converged\",target=\"simulated\"}",
            "strata_reconcile_duration_seconds_bucket",
            "strata_reconcile_queue_depth",
            "strata_drift_found_total{target=\"simulated\"}",
            "strata_drift_corrected_total{target=\"simulated\"}");
    assertThat(
            admin()
                .post("/api/v1/clusters/" + id + "/drift-check")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("outcome"))
        .isIn("clean", "corrected");

    // policy report: the change stays, and the finding names the field
    TestEvents.publish(
        new ClusterEvent.ClusterDriftPolicySet(
            cluster, io.strata.events.cluster.DriftPolicy.REPORT),
        "default");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              admin().body(scaledDown).put(deployment);
              return "drifted"
                  .equals(
                      admin()
                          .post("/api/v1/clusters/" + id + "/drift-check")
                          .jsonPath()
                          .getString("outcome"));
            });
    JsonPath outcome = admin().get("/api/v1/reconciliations/" + id).jsonPath();
    assertThat(outcome.getString("phase")).isEqualTo("Converged");
    assertThat(outcome.getList("drift.object.kind")).contains("Deployment");
    assertThat(outcome.getList("drift.paths.flatten()"))
        .as("a field changed, a mapping gone")
        .contains("spec.replicas", "spec.template");
    assertThat(
            admin()
                .get("/api/v1/targets/" + id + "/objects")
                .jsonPath()
                .getInt("objects.'apps/v1/Deployment/shop/web'.spec.replicas"))
        .isEqualTo(1);
  }

  @jakarta.inject.Inject io.strata.kit.secrets.Sealer sealer;
  @jakarta.inject.Inject io.strata.eventstore.EventStore store;

  /** Seals a kubeconfig the way cluster-service does at registration; answers the reference. */
  String sealed(ClusterId cluster, String kubeconfig) {
    return store.inTransaction(
        c -> sealer.seal(c, cluster, "kubeconfig", "kubeconfig", kubeconfig));
  }

  static final String NAMESPACE = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";

  @Test
  void a_kubernetes_cluster_gets_server_side_applied_pruned_and_gated_on_readiness() {
    try (var api = new io.strata.testsupport.KubernetesApiServer()) {
      var kube = api.client();
      ProfileId profile = profileCreated("k-");
      List<Manifest> all =
          List.of(
              new Manifest("web", WEB.formatted("a: b")),
              new Manifest("svc", SERVICE),
              new Manifest("ns", NAMESPACE));
      TestEvents.publish(
          new ProfileEvent.ProfileVersionCreated(
              profile,
              Semver.parse("1.0.0"),
              1,
              "",
              VARS,
              List.of(new Layer.ManifestLayer("app", all))),
          "default");
      TestEvents.publish(
          new ProfileEvent.ProfileVersionUpdated(
              profile,
              Semver.parse("1.0.0"),
              2,
              VARS,
              List.of(new Layer.ManifestLayer("app", List.of(all.get(0), all.get(2)))),
              List.of()),
          "default");
      kube.configMaps()
          .inNamespace("shop")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("theirs")
                  .endMetadata()
                  .build())
          .create();
      ClusterId cluster = ClusterId.generate();
      String id = cluster.value();
      registered(
          cluster,
          "real-1",
          new ClusterTarget(TargetKind.KUBERNETES, sealed(cluster, api.kubeconfig())),
          spec(1, profile, 1, "1.0.0"));

      // applied, labelled, namespace first; no controller runs here, so the rollout never ends
      JsonPath failed = awaitOutcome(id, 1, "Failed", "not ready");
      assertThat(failed.getString("error"))
          .contains("Deployment/web is not ready after 1s", "has not seen generation 1");
      assertThat(failed.getList("objects.kind")).startsWith("Namespace");
      var web = kube.apps().deployments().inNamespace("shop").withName("web").get();
      assertThat(web.getSpec().getReplicas()).isEqualTo(3);
      assertThat(web.getMetadata().getLabels())
          .containsEntry("strata.io/cluster", id)
          .containsEntry("strata.io/generation", "1");
      assertThat(kube.services().inNamespace("shop").withName("web").get()).isNotNull();

      // acting as the Deployment controller: rolled out
      web.setStatus(
          new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
              .withObservedGeneration(99L)
              .withReplicas(3)
              .withUpdatedReplicas(3)
              .withAvailableReplicas(3)
              .withReadyReplicas(3)
              .build());
      kube.apps().deployments().inNamespace("shop").resource(web).updateStatus();

      // the next generation converges and prunes the Service, never the ConfigMap we did not make
      TestEvents.publish(
          new ClusterEvent.ClusterUpdatesApplied(cluster, spec(2, profile, 2, "1.0.0"), List.of()),
          "default");
      JsonPath converged = awaitOutcome(id, 2, "Converged");
      assertThat(converged.getList("objects.action")).contains("pruned");
      assertThat(kube.services().inNamespace("shop").withName("web").get()).isNull();
      assertThat(kube.configMaps().inNamespace("shop").withName("theirs").get()).isNotNull();
      assertThat(
              kube.apps()
                  .deployments()
                  .inNamespace("shop")
                  .withName("web")
                  .get()
                  .getMetadata()
                  .getLabels())
          .containsEntry("strata.io/generation", "2");
      assertThat(
              kube.configMaps()
                  .inNamespace("kube-system")
                  .withName("strata-inventory-" + id)
                  .get()
                  .getData())
          .containsEntry("strata.io/group-kinds", "apps/v1/Deployment,v1/Namespace,v1/Service");

      // drift on a real API: someone scales it down; the periodic check puts it back
      kube.apps()
          .deployments()
          .inNamespace("shop")
          .withName("web")
          .edit(
              d -> {
                d.getSpec().setReplicas(1);
                return d;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  kube.apps()
                          .deployments()
                          .inNamespace("shop")
                          .withName("web")
                          .get()
                          .getSpec()
                          .getReplicas()
                      == 3);
    }
  }

  @jakarta.inject.Inject io.strata.reconciler.target.SimulatedClusters simulatedClusters;

  @Test
  void a_sensitive_variable_is_opened_to_apply_and_never_shown() {
    ProfileId profile = profileCreated("s-");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            profile, Semver.parse("1.0.0"), 1, "", VARS, layers("a: b", false)),
        "default");
    ClusterId cluster = ClusterId.generate();
    String id = cluster.value();
    String ref =
        store.inTransaction(c -> sealer.seal(c, cluster, "variable", "replicas", "731337"));
    registered(
        cluster,
        "secret-1",
        new ClusterTarget(TargetKind.SIMULATED, ""),
        new ClusterSpec(
            1,
            List.of(new AttachedProfile(profile, "web-stack", Semver.parse("1.0.0"), 1)),
            Map.of("replicas", ref),
            List.of()));
    awaitOutcome(id, 1, "Converged");

    Map<String, Object> applied =
        simulatedClusters.objects(cluster).get("apps/v1/Deployment/shop/web");
    assertThat(((Map<?, ?>) applied.get("spec")).get("replicas")).isEqualTo(731337);
    String shown = withoutIds(admin().get("/api/v1/targets/" + id + "/objects").asString());
    assertThat(shown).doesNotContain("731337").contains("********");
    String desired = withoutIds(admin().get("/api/v1/clusters/" + id + "/desired").asString());
    assertThat(desired).doesNotContain("731337").contains("sensitive-value-hidden");
  }

  /** Cluster ids and digests are random hex: by chance they may hold the digits looked for. */
  static String withoutIds(String answer) {
    return answer
        .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
        .replaceAll("sha256:[0-9a-f]{64}", "<digest>");
  }

  @Test
  void an_unreachable_api_server_is_a_retryable_failure_that_blocks_no_one() {
    ProfileId profile = profileCreated("u-");
    TestEvents.publish(
        new ProfileEvent.ProfileVersionCreated(
            profile, Semver.parse("1.0.0"), 1, "", VARS, layers("a: b", false)),
        "default");
    ClusterId cluster = ClusterId.generate();
    String unreachable =
        new io.strata.testsupport.KubernetesApiServer()
            .kubeconfig()
            .replaceAll("server: .*", "server: https://127.0.0.1:1");
    registered(
        cluster,
        "gone-1",
        new ClusterTarget(TargetKind.KUBERNETES, sealed(cluster, unreachable)),
        spec(1, profile, 1, "1.0.0"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin()
                    .get("/api/v1/reconciliations/" + cluster.value())
                    .asString()
                    .contains("cannot be reached"));
    JsonPath failed = admin().get("/api/v1/reconciliations/" + cluster.value()).jsonPath();
    assertThat(failed.getString("phase")).isEqualTo("Failed");
    assertThat(failed.getString("error")).doesNotContain("mock-token");
    admin().get("/api/v1/targets/" + cluster.value() + "/objects").then().statusCode(409);
  }

  @Test
  void every_operation_refuses_anonymous_calls_and_viewers_writes() throws Exception {
    String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
    String viewer =
        TestAccess.publishApiKey(
            "walker-" + System.nanoTime(), io.strata.events.access.Role.VIEWER, "default");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                given()
                        .header("Authorization", "Bearer " + viewer)
                        .get("/api/v1/reconciliations/c-x")
                        .statusCode()
                    != 401);
    assertThat(io.strata.testsupport.OpenApiSecurityWalk.operations(base))
        .hasSizeGreaterThanOrEqualTo(4);
    assertThat(io.strata.testsupport.OpenApiSecurityWalk.anonymousNot401(base)).isEmpty();
    assertThat(io.strata.testsupport.OpenApiSecurityWalk.viewerWritesNot403(base, viewer))
        .isEmpty();
  }
}
