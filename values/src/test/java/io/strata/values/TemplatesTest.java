package io.strata.values;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  @Test
  void plainReferencesAreSubstitutedAndOthersReported() {
    String text =
        "a: {{ .strata.var.a }}\nb: {{.strata.var.b}}\nc: {{- .strata.var.c -}}\n"
            + "d: {{ .strata.var.d | quote }}\ne: {{ default 1 .strata.var.e }}\n"
            + "f: {{ .Values.f }}\ng: {{ $labels.instance }}\n"
            + "h: {{ .strata.var.h | default \"{}\" }}\ni: {{ $s := .strata }}{{ $s.var.i }}\n";
    Map<String, String> values = Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
    assertThat(Templates.substitute(text, n -> Optional.ofNullable(values.get(n)), n -> "?"))
        .startsWith("a: 1\nb: 2\nc: {{- .strata.var.c -}}\n")
        .contains("f: {{ .Values.f }}\ng: {{ $labels.instance }}\n");
    assertThat(Templates.unsupportedExpressions(text))
        .containsExactly(
            "{{- .strata.var.c -}}",
            "{{ .strata.var.d | quote }}",
            "{{ default 1 .strata.var.e }}",
            "{{ .strata.var.h | default \"{}\" }}",
            "{{ $s := .strata }}");
  }
}
