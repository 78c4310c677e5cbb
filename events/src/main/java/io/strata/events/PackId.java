package io.strata.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Typed id; serialised as its plain string value. */
public record PackId(@JsonValue String value) {
  public PackId {
    AggregateId.requireValid("PackId", value);
  }

  @JsonCreator
  public static PackId of(String value) {
    return new PackId(value);
  }

  /** A pack is identified by its name and version: re-uploading the same pair is the same pack. */
  public static PackId of(String name, String version) {
    return new PackId("pack:" + name + "@" + version);
  }

  @Override
  public String toString() {
    return value;
  }
}
