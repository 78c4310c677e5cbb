package io.strata.eventstore;

/** A command would produce an event larger than the platform publishes; nothing was written. */
public class EventTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EventTooLargeException(String type, long bytes, long limit) {
    super(
        "the resulting "
            + type
            + " event would be "
            + bytes
            + " bytes; events are limited to "
            + limit
            + " bytes");
  }
}
