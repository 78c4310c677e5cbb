package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** deploy/ (Kustomize, Strimzi, CloudNativePG) agrees with the services' configuration. */
@SuppressWarnings("unchecked")
class DeployManifestsTest {
  private static final Path BASE = Platform.ROOT.resolve("deploy/base");
  private static final Set<String> SECRETS =
      Set.of("strata-auth", "strata-secrets-key", "strata-db-app");
  private static final List<Map<String, Object>> DOCS = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    try (Stream<Path> files = Files.list(BASE)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object o : new Yaml().loadAll(Files.readString(f))) {
          if (o != null && !f.getFileName().toString().equals("kustomization.yaml")) {
            DOCS.add((Map<String, Object>) o);
          }
        }
      }
    }
  }

  static Map<String, Object> doc(String kind, String name) {
    return DOCS.stream()
        .filter(d -> kind.equals(d.get("kind")))
        .filter(d -> name.equals(map(d, "metadata").get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("deploy/base has no " + kind + " " + name));
  }

  static List<Map<String, Object>> all(String kind) {
    return DOCS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  static Map<String, Object> map(Object o, String... path) {
    Object cur = o;
    for (String p : path) {
      cur = ((Map<String, Object>) cur).get(p);
    }
    return (Map<String, Object>) cur;
  }

  static List<Object> list(Object o, String... path) {
    Object cur = o;
    for (int i = 0; i < path.length - 1; i++) {
      cur = ((Map<String, Object>) cur).get(path[i]);
    }
    return (List<Object>) ((Map<String, Object>) cur).get(path[path.length - 1]);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"profile-service", "cluster-service", "reconciler-service", "audit-service"})
  @DisplayName("each service: port, probes, resources, environment, Secrets, Service, PDB")
  void serviceAgrees(String service) throws IOException {
    Properties config = DeploymentConsistencyTest.config(service);
    int port = Integer.parseInt(config.getProperty("quarkus.http.port"));
    Map<String, Object> deployment = doc("Deployment", service);
    Map<String, Object> pod = map(deployment, "spec", "template", "spec");
    Map<String, Object> container = (Map<String, Object>) list(pod, "containers").get(0);

    assertThat(list(container, "ports"))
        .containsExactly(Map.of("name", "http", "containerPort", port));
    assertThat(map(container, "startupProbe", "httpGet"))
        .containsEntry("path", "/q/health/started");
    assertThat(map(container, "livenessProbe", "httpGet")).containsEntry("path", "/q/health/live");
    assertThat(map(container, "readinessProbe", "httpGet"))
        .containsEntry("path", "/q/health/ready");
    assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
    assertThat(map(container, "resources", "limits")).containsKeys("cpu", "memory");

    Set<String> secrets = new HashSet<>();
    for (Object e : list(container, "env")) {
      Map<String, Object> env = (Map<String, Object>) e;
      DeploymentConsistencyTest.assertReads(config, (String) env.get("name"), "deploy/", service);
      if (env.get("valueFrom") != null) {
        secrets.add((String) map(env, "valueFrom", "secretKeyRef").get("name"));
      }
      if ("QUARKUS_HTTP_PORT".equals(env.get("name"))) {
        assertThat(env.get("value")).isEqualTo(String.valueOf(port));
      }
    }
    for (String var : map(doc("ConfigMap", "strata-config"), "data").keySet()) {
      DeploymentConsistencyTest.assertReads(config, var, "the strata-config ConfigMap", service);
    }
    for (Object v : list(pod, "volumes")) {
      Map<String, Object> volume = (Map<String, Object>) v;
      if (volume.get("secret") != null) {
        secrets.add((String) map(volume, "secret").get("secretName"));
      }
    }
    assertThat(SECRETS).containsAll(secrets);
    String readme = Files.readString(Platform.ROOT.resolve("deploy/README.md"));
    secrets.forEach(s -> assertThat(readme).as("deploy/README.md documents %s", s).contains(s));

    Map<String, String> labels =
        (Map<String, String>) map(deployment, "spec", "selector").get("matchLabels");
    assertThat((Map<String, String>) map(deployment, "spec", "template", "metadata").get("labels"))
        .containsAllEntriesOf(labels);
    Map<String, Object> svc = doc("Service", service);
    assertThat((Map<String, String>) map(svc, "spec").get("selector")).isEqualTo(labels);
    assertThat(((Map<String, Object>) list(svc, "spec", "ports").get(0)).get("port"))
        .isEqualTo(port);
    assertThat(map(doc("PodDisruptionBudget", service), "spec", "selector").get("matchLabels"))
        .isEqualTo(labels);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cluster-service", "reconciler-service"})
  @DisplayName("the services that seal and open secrets get the key from a Secret, never a literal")
  void secretsKeyFromASecret(String service) {
    Map<String, Object> podSpec = map(doc("Deployment", service), "spec", "template", "spec");
    Map<String, Object> container = (Map<String, Object>) list(podSpec, "containers").get(0);
    assertThat(list(container, "env"))
        .anySatisfy(
            e -> {
              assertThat(((Map<String, Object>) e).get("name"))
                  .isEqualTo("STRATA_SECRETS_KEY_FILE");
              assertThat((String) ((Map<String, Object>) e).get("value"))
                  .startsWith("/var/run/strata/secrets-key/");
            });
    assertThat(list(podSpec, "volumes"))
        .extracting(v -> ((Map<String, Object>) v).get("secret"))
        .filteredOn(java.util.Objects::nonNull)
        .extracting(v -> ((Map<String, Object>) v).get("secretName"))
        .contains("strata-secrets-key");
    assertThat(DOCS).noneMatch(d -> "Secret".equals(d.get("kind")));
  }

  @Test
  @DisplayName(
      "every event topic and its .dlq is a KafkaTopic kept forever, big enough for an event")
  void topicsAgree() {
    Set<String> expected = new HashSet<>();
    Topics.ALL.forEach(
        t -> {
          expected.add(t);
          expected.add(t + Topics.DEAD_LETTER_SUFFIX);
        });
    Set<String> declared = new HashSet<>();
    for (Map<String, Object> t : all("KafkaTopic")) {
      declared.add((String) map(t, "spec").get("topicName"));
      assertThat(map(t, "metadata", "labels")).containsEntry("strimzi.io/cluster", "strata");
      assertThat(map(t, "spec", "config")).containsEntry("retention.ms", -1);
      assertThat((Integer) map(t, "spec", "config").get("max.message.bytes"))
          .isGreaterThanOrEqualTo(16 * 1024 * 1024);
    }
    assertThat(declared).isEqualTo(expected);
  }

  @Test
  @DisplayName("services find Kafka and PostgreSQL where Strimzi and CloudNativePG put them")
  void infrastructureAgrees() {
    Map<String, Object> data = map(doc("ConfigMap", "strata-config"), "data");
    String kafka = (String) map(doc("Kafka", "strata"), "metadata").get("name");
    assertThat(data.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(kafka + "-kafka-bootstrap:9092");
    assertThat(data.get("STRATA_KAFKA_CREATE_TOPICS")).isEqualTo("false");
    Map<String, Object> db = doc("Cluster", "strata-db");
    assertThat((String) data.get("QUARKUS_DATASOURCE_JDBC_URL"))
        .isEqualTo(
            "jdbc:postgresql://strata-db-rw:5432/"
                + map(db, "spec", "bootstrap", "initdb").get("database"));
    assertThat(map(db, "spec", "bootstrap", "initdb", "secret"))
        .containsEntry("name", "strata-db-app");
    assertThat(map(doc("KafkaNodePool", "dual-role"), "metadata", "labels"))
        .containsEntry("strimzi.io/cluster", kafka);
    for (Map<String, Object> hpa : all("HorizontalPodAutoscaler")) {
      doc("Deployment", (String) map(hpa, "spec", "scaleTargetRef").get("name"));
    }
  }

  @Test
  @DisplayName("the kustomizations list every manifest, and the overlay patches what exists")
  void kustomizationsAgree() throws IOException {
    Map<String, Object> base =
        new Yaml().load(Files.readString(BASE.resolve("kustomization.yaml")));
    Set<String> files = new HashSet<>();
    try (Stream<Path> s = Files.list(BASE)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(files::add);
    }
    assertThat(new HashSet<>((List<String>) base.get("resources"))).isEqualTo(files);
    Map<String, Object> prod =
        new Yaml()
            .load(
                Files.readString(
                    Platform.ROOT.resolve("deploy/overlays/production/kustomization.yaml")));
    for (Object p : (List<Object>) prod.get("patches")) {
      Map<String, Object> target = map(p, "target");
      List<Map<String, Object>> matching = all((String) target.get("kind"));
      if (target.get("name") != null) {
        doc((String) target.get("kind"), (String) target.get("name"));
      }
      assertThat(matching).as("overlay patches %s", target).isNotEmpty();
    }
  }
}
