package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A typed variable of a profile version, referenced as {@code {{ .strata.var.NAME }}}. A sensitive
 * variable's value is never shown back; its default, if any, is the only value an event carries.
 */
public record Variable(
    String name,
    VariableType type,
    @JsonProperty("default") String defaultValue,
    boolean required,
    String regex,
    boolean sensitive) {
  public Variable {
    Objects.requireNonNull(name, "name");
    type = type == null ? VariableType.STRING : type;
    defaultValue = defaultValue == null ? "" : defaultValue;
    regex = regex == null ? "" : regex;
  }
}
