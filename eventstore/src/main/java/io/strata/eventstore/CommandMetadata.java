package io.strata.eventstore;

/** Who asked for a command, within which correlation and project. */
public record CommandMetadata(String actor, String correlationId, String project) {
  public CommandMetadata {
    actor = actor == null || actor.isBlank() ? "anonymous" : actor;
    correlationId = correlationId == null ? "" : correlationId;
    project = project == null || project.isBlank() ? "default" : project;
  }
}
