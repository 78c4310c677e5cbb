package io.strata.audit.ingest;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.audit.log.AuditLog;
import io.strata.audit.stream.LiveFeed;
import io.strata.events.Topics;
import io.strata.eventstore.EventStore;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Starts the ingest of every topic with the service, and reports whether it runs. */
@Singleton
@Readiness
public class IngestLifecycle implements HealthCheck {
  /** A new group: the log is idempotent by event id, so a replay from offset 0 is harmless. */
  public static final String GROUP = "audit-service.ingest";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private AuditIngest ingest;

  void start(@Observes StartupEvent ignored, EventStore store, AuditLog log, LiveFeed feed) {
    ingest =
        new AuditIngest(GROUP, bootstrap, Topics.ALL, new IngestWriter(store, log), feed::publish);
    ingest.start();
  }

  void stop(@Observes ShutdownEvent ignored) {
    if (ingest != null) {
      ingest.close();
    }
  }

  @Override
  public HealthCheckResponse call() {
    boolean up = ingest != null && ingest.isRunning();
    return HealthCheckResponse.named("audit-ingest")
        .status(up)
        .withData("appended", ingest == null ? 0 : ingest.appendedCount())
        .build();
  }
}
