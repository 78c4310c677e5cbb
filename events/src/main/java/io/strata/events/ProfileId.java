package io.strata.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** Typed id; serialised as its plain string value. */
public record ProfileId(@JsonValue String value) {
  public ProfileId {
    AggregateId.requireValid("ProfileId", value);
  }

  @JsonCreator
  public static ProfileId of(String value) {
    return new ProfileId(value);
  }

  public static ProfileId generate() {
    return new ProfileId("p-" + UUID.randomUUID());
  }

  @Override
  public String toString() {
    return value;
  }
}
