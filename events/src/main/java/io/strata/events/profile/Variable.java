package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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

  /**
   * Why {@code value} is not a valid value of this variable (type, then regex), if it is not. The
   * message never quotes a sensitive value.
   */
  public Optional<String> problemWith(String value) {
    String shown = sensitive ? "the value" : "'" + value + "'";
    Optional<String> typeProblem =
        switch (type) {
          case STRING -> Optional.empty();
          case NUMBER ->
              value.matches("-?(0|[1-9]\\d{0,17})(\\.\\d{1,17})?")
                  ? Optional.empty()
                  : Optional.of(shown + " is not a number");
          case BOOLEAN ->
              value.equals("true") || value.equals("false")
                  ? Optional.empty()
                  : Optional.of(shown + " is not true or false");
        };
    if (typeProblem.isPresent() || regex.isEmpty()) {
      return typeProblem;
    }
    try {
      return Pattern.compile(regex).matcher(new Bounded(value)).matches()
          ? Optional.empty()
          : Optional.of(shown + " does not match " + regex);
    } catch (PatternSyntaxException e) {
      return Optional.of("the variable's regex is not valid: " + e.getDescription());
    } catch (Bounded.Exhausted e) {
      return Optional.of(shown + " could not be checked against " + regex + " in time");
    }
  }

  /**
   * The value as the regex engine reads it, with a budget of character reads: a regex written by
   * one team must not let a value supplied by another hang a request (catastrophic backtracking).
   */
  private static final class Bounded implements CharSequence {
    private static final long BUDGET = 2_000_000;
    private final String text;
    private long reads;

    Bounded(String text) {
      this.text = text;
    }

    static final class Exhausted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exhausted() {
        super(null, null, false, false);
      }
    }

    @Override
    public char charAt(int index) {
      if (++reads > BUDGET) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
