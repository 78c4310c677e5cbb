package io.strata.audit.log;

import io.quarkus.runtime.StartupEvent;
import io.strata.events.Topics;
import io.strata.kit.events.ProjectionConsumers;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Feeds all three event topics into the audit log from the service's start. */
@Singleton
public class AuditLogConsumer {
  void start(@Observes StartupEvent ignored, ProjectionConsumers consumers, AuditLog log) {
    consumers.start("audit-service.log", Topics.ALL, log::append);
  }
}
