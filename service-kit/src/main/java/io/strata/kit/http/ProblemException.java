package io.strata.kit.http;

import java.util.List;

/** Ends a request with a problem document; thrown by resources and command handlers. */
public class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String title;
  private final transient List<Problem.FieldError> errors;

  public ProblemException(
      int status, String title, String detail, List<Problem.FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public static ProblemException notFound(String what) {
    return new ProblemException(404, "Not Found", what + " does not exist");
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  /** 422 listing every problem found, so that nothing is half-applied and all can be fixed. */
  public static ProblemException invalid(List<Problem.FieldError> errors) {
    return new ProblemException(422, "Unprocessable Content", summary(errors), errors);
  }

  /** The detail of a 422: the one problem, or how many are listed. */
  public static String summary(List<Problem.FieldError> errors) {
    return errors.size() == 1
        ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " problems, listed in errors";
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}
