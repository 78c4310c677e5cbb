package io.strata.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesSeparatorsAndDefusesFormulas() {
    assertThat(Exporter.csv("plain")).isEqualTo("plain");
    assertThat(Exporter.csv("a,b")).isEqualTo("\"a,b\"");
    assertThat(Exporter.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Exporter.csv("=cmd()")).isEqualTo("\"'=cmd()\"");
  }
}
