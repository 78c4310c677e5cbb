package io.strata.events;

/** A CloudEvent whose type this build does not know; consumers dead-letter it. */
public class UnknownEventTypeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownEventTypeException(String message) {
    super(message);
  }
}
