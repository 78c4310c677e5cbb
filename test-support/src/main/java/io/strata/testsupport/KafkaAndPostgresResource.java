package io.strata.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the JVM's real Kafka broker and real PostgreSQL. The database is
 * named by the init arg {@code database} (default {@code strata}).
 */
public class KafkaAndPostgresResource implements QuarkusTestResourceLifecycleManager {
  private String database = "strata";

  @Override
  public void init(Map<String, String> initArgs) {
    database = initArgs.getOrDefault("database", database);
  }

  @Override
  public Map<String, String> start() {
    return Map.of(
        // a fixed test key (32 bytes): kubeconfigs and sensitive values are sealed with it
        "strata.secrets.key", "c3RyYXRhLXRlc3Qtc2VjcmV0cy1rZXktMzItYnl0ZXM=",
        "kafka.bootstrap.servers", RealKafka.bootstrapServers(),
        "quarkus.datasource.jdbc.url", RealPostgres.jdbcUrl(database),
        "quarkus.datasource.username", RealPostgres.username(),
        "quarkus.datasource.password", RealPostgres.password(),
        "strata.auth.bootstrap-key-file", TestAccess.adminTokenFile().toString(),
        "strata.auth.jwt.issuer", TestAccess.ISSUER,
        "strata.auth.jwt.audience", TestAccess.AUDIENCE,
        "strata.auth.jwt.public-key", TestAccess.issuerPublicKeyPem());
  }

  @Override
  public void stop() {
    // shared by every test class of the JVM; they stop with it
  }
}
