package io.strata.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.kit.http.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProfileValidationTest {
  @Test
  @DisplayName("variables: typed defaults, regex, no duplicates, and no secret defaults")
  void variables() {
    List<FieldError> errors = new ArrayList<>();
    ProfileValidation.variables(
        List.of(
            new Variable("replicas", VariableType.NUMBER, "two", false, "", false),
            new Variable("replicas", VariableType.STRING, "", false, "", false),
            new Variable("debug", VariableType.BOOLEAN, "yes", false, "", false),
            new Variable("size", VariableType.STRING, "huge", false, "small|large", false),
            new Variable("password", VariableType.STRING, "hunter2", true, "", true),
            new Variable("bad-name", VariableType.STRING, "", false, "(", false)),
        errors);
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "variables[0].default",
            "variables[1].name",
            "variables[2].default",
            "variables[3].default",
            "variables[4].default",
            "variables[5].name",
            "variables[5].regex");
    assertThat(errors.get(4).message()).contains("per cluster");
  }
}
