package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml, the Dockerfiles, the ./strata script and each service's config agree. */
class DeploymentConsistencyTest {
  private static final Path ROOT = Platform.ROOT;

  @SuppressWarnings("unchecked")
  private static Map<String, Object> composeService(String name) throws IOException {
    Map<String, Object> compose =
        new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertThat(services).containsKeys("kafka", "postgres", name);
    return (Map<String, Object>) services.get(name);
  }

  static Properties config(String service) throws IOException {
    Properties p = new Properties();
    p.load(
        new StringReader(
            Files.readString(
                ROOT.resolve(service + "/src/main/resources/application.properties"))));
    Properties shared = new Properties();
    shared.load(
        new StringReader(
            Files.readString(
                ROOT.resolve(
                    "service-kit/src/main/resources/META-INF/microprofile-config.properties"))));
    shared.putAll(p);
    return shared;
  }

  /** {@code var} is how the environment sets one of the service's configuration properties. */
  static void assertReads(Properties config, String var, String where, String service) {
    String property = var.toLowerCase(Locale.ROOT).replace('_', '.');
    assertThat(config.stringPropertyNames())
        .as("%s sets %s, which no configuration property of %s reads", where, var, service)
        .anySatisfy(k -> assertThat(k.replace('-', '.')).isEqualTo(property));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"profile-service", "cluster-service", "reconciler-service", "audit-service"})
  @DisplayName("port, Dockerfile, environment and script agree with the service's configuration")
  @SuppressWarnings("unchecked")
  void serviceAgrees(String service) throws IOException {
    Properties config = config(service);
    String port = config.getProperty("quarkus.http.port");
    assertThat(config.getProperty("strata.service.name")).isEqualTo(service);

    Map<String, Object> compose = composeService(service);
    assertThat((List<String>) compose.get("ports")).containsExactly(port + ":" + port);
    Map<String, Object> build = (Map<String, Object>) compose.get("build");
    Path dockerfile =
        ROOT.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"));
    assertThat(dockerfile).exists();
    String docker = Files.readString(dockerfile);
    assertThat(docker).contains("EXPOSE " + port).contains("quarkus-run.jar");

    Map<String, Object> env = (Map<String, Object>) compose.get("environment");
    for (String var : env.keySet()) {
      assertReads(config, var, "compose", service);
    }
    assertThat((String) env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");

    String script = Files.readString(ROOT.resolve("strata"));
    Matcher m =
        Pattern.compile("\\[" + service + "]=\\$\\(\\((\\d+) \\+ OFFSET\\)\\)").matcher(script);
    assertThat(m.find()).as("./strata knows the port of %s", service).isTrue();
    assertThat(m.group(1)).isEqualTo(port);
  }

  @org.junit.jupiter.api.Test
  @DisplayName(
      "the local defaults point where ./strata up and the compose file put Kafka and PostgreSQL")
  @SuppressWarnings("unchecked")
  void infrastructureAgrees() throws IOException {
    Properties shared = config("profile-service");
    assertThat(shared.getProperty("kafka.bootstrap.servers")).isEqualTo("localhost:59092");
    assertThat(shared.getProperty("quarkus.datasource.jdbc.url"))
        .contains("localhost:55432/strata");
    assertThat((List<String>) composeService("kafka").get("ports")).contains("59092:9092");
    assertThat((List<String>) composeService("postgres").get("ports")).contains("55432:5432");
    String script = Files.readString(ROOT.resolve("strata"));
    assertThat(script).contains("STRATA_KAFKA_PORT:-59092").contains("STRATA_PG_PORT:-55432");
  }
}
