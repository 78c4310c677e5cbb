package io.strata.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import org.junit.jupiter.api.Test;

class VariableTest {
  static Variable v(VariableType type, String regex, boolean sensitive) {
    return new Variable("x", type, "", false, regex, sensitive);
  }

  @Test
  void a_value_is_checked_by_type_then_regex() {
    assertThat(v(VariableType.NUMBER, "", false).problemWith("3.5")).isEmpty();
    assertThat(v(VariableType.NUMBER, "", false).problemWith("three"))
        .contains("'three' is not a number");
    assertThat(v(VariableType.BOOLEAN, "", false).problemWith("yes")).isPresent();
    assertThat(v(VariableType.STRING, "[a-z]+-[0-9]", false).problemWith("eu-1")).isEmpty();
    assertThat(v(VariableType.STRING, "[a-z]+-[0-9]", false).problemWith("EU")).isPresent();
  }

  @Test
  void a_sensitive_value_is_never_quoted() {
    assertThat(v(VariableType.NUMBER, "", true).problemWith("hunter2"))
        .hasValueSatisfying(m -> assertThat(m).doesNotContain("hunter2"));
  }

  @Test
  void a_catastrophic_regex_gives_up_instead_of_hanging() {
    long start = System.nanoTime();
    var problem = v(VariableType.STRING, "(.*a){20}", false).problemWith("a".repeat(26) + "!");
    assertThat(problem).hasValueSatisfying(m -> assertThat(m).contains("in time"));
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }
}
