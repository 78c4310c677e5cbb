package io.strata.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** Typed id; serialised as its plain string value. */
public record ClusterId(@JsonValue String value) {
  public ClusterId {
    AggregateId.requireValid("ClusterId", value);
  }

  @JsonCreator
  public static ClusterId of(String value) {
    return new ClusterId(value);
  }

  public static ClusterId generate() {
    return new ClusterId("c-" + UUID.randomUUID());
  }

  @Override
  public String toString() {
    return value;
  }
}
