package io.strata.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.PackRef;
import io.strata.events.profile.ProfileType;
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

  @Test
  @DisplayName(
      "an expression about a Strata variable that is not a plain reference is refused, other templates stay")
  void unsupportedVariableExpressions() {
    List<FieldError> errors =
        layerErrors(
            List.of(new Variable("replicas", VariableType.NUMBER, "2", false, "", false)),
            new Layer.ManifestLayer(
                "web",
                List.of(
                    new Manifest(
                        "alerts",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n"
                            + "  replicas: '{{ .strata.var.replicas }}'\n"
                            + "  rule: '{{ $labels.instance }} is down'\n"
                            + "  ghost: '{{- .strata.var.ghost -}}'\n"))),
            new Layer.PackLayer(
                "cni",
                new PackRef("calico", "3.26.1", ""),
                "mtu: {{ .strata.var.replicas | quote }}\n"));
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("layers[0].manifests[0].content", "layers[1].values");
    assertThat(errors.get(0).message()).contains("'{{- .strata.var.ghost -}}' is not substituted");
    assertThat(errors.get(1).message())
        .contains("'{{ .strata.var.replicas | quote }}' is not substituted");
  }

  @Test
  void manifest_names_are_unique_per_layer_and_variables_are_bounded() {
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
    List<FieldError> errors =
        layerErrors(
            List.of(),
            new Layer.ManifestLayer("web", List.of(new Manifest("a", cm), new Manifest("a", cm))));
    assertThat(errors).extracting(FieldError::field).containsExactly("layers[0].manifests[1].name");

    List<FieldError> tooMany = new ArrayList<>();
    List<Variable> variables = new ArrayList<>();
    for (int i = 0; i <= ProfileValidation.MAX_VARIABLES; i++) {
      variables.add(new Variable("v" + i, VariableType.STRING, "", false, "", false));
    }
    ProfileValidation.variables(variables, tooMany);
    assertThat(tooMany).extracting(FieldError::field).containsExactly("variables");
  }

  private static List<FieldError> layerErrors(List<Variable> variables, Layer... layers) {
    List<FieldError> errors = new ArrayList<>();
    ProfileValidation.layers(ProfileType.FULL, List.of(layers), variables, errors);
    return errors;
  }
}
