package io.strata.kit.security;

import io.strata.eventstore.CommandMetadata;
import io.strata.kit.http.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class CallerContext {
  /** Ties the events of one request to a caller's own trace; a new id when absent. */
  public static final String CORRELATION_HEADER = "X-Correlation-Id";

  private Caller caller;
  private String correlationId = UUID.randomUUID().toString();

  void set(Caller caller, String correlationId) {
    this.caller = caller;
    if (correlationId != null && !correlationId.isBlank() && correlationId.length() <= 128) {
      this.correlationId = correlationId.strip();
    }
  }

  public Caller caller() {
    if (caller == null) {
      throw new ProblemException(401, "Unauthorized", "authentication required");
    }
    return caller;
  }

  /** Metadata of a command: the authenticated principal is the actor, always. */
  public CommandMetadata metadata(String project) {
    return new CommandMetadata(caller().name(), correlationId, project);
  }
}
