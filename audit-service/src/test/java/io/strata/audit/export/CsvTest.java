package io.strata.audit.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesSeparatorsAndDefusesFormulas() {
    assertThat(ExportResource.csv("plain")).isEqualTo("plain");
    assertThat(ExportResource.csv("a,b")).isEqualTo("\"a,b\"");
    assertThat(ExportResource.csv("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ExportResource.csv("=cmd()")).isEqualTo("\"'=cmd()\"");
  }
}
