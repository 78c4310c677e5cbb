package io.strata.cluster.domain;

import io.strata.kit.http.Problem.FieldError;
import java.util.List;

/** Why a cluster command was refused; the REST edge maps each kind to its status. */
public abstract sealed class ClusterRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient List<FieldError> errors;

  ClusterRejected(int status, String message, List<FieldError> errors) {
    super(message);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** 409: the command does not fit the cluster's state (nothing pending, unresolved conflicts). */
  public static final class Conflict extends ClusterRejected {
    private static final long serialVersionUID = 1L;

    public Conflict(String message, List<FieldError> errors) {
      super(409, message, errors);
    }

    public Conflict(String message) {
      this(message, List.of());
    }
  }

  /** 412: the If-Match generation is not the current one. */
  public static final class Stale extends ClusterRejected {
    private static final long serialVersionUID = 1L;

    public Stale(String message) {
      super(412, message, List.of());
    }
  }

  /** 422: every problem found with the request, so that all can be fixed at once. */
  public static final class Invalid extends ClusterRejected {
    private static final long serialVersionUID = 1L;

    public Invalid(List<FieldError> errors) {
      super(422, io.strata.kit.http.ProblemException.summary(errors), errors);
    }

    public static void throwIfAny(List<FieldError> errors) {
      if (!errors.isEmpty()) {
        throw new Invalid(errors);
      }
    }
  }
}
