package io.strata.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A domain event with the metadata it travels with: the CloudEvents attributes and the Strata
 * extensions ({@code strataseq}, {@code strataactor}, {@code stratacorrelation}, {@code
 * strataproject}).
 */
public record EventEnvelope(
    UUID id,
    String source,
    Instant time,
    long seq,
    String actor,
    String correlationId,
    String project,
    DomainEvent event) {

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(event, "event");
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1: " + seq);
    }
    actor = actor == null || actor.isBlank() ? "anonymous" : actor;
    correlationId = correlationId == null ? "" : correlationId;
    project = project == null || project.isBlank() ? "default" : project;
  }

  public String type() {
    return EventTypes.typeOf(event.getClass());
  }

  public String subject() {
    return event.aggregateId();
  }

  public String topic() {
    return Topics.topicOf(event);
  }
}
