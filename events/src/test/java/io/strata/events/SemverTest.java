package io.strata.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemverTest {
  @ParameterizedTest
  @ValueSource(strings = {"1.0.0", "0.0.1", "10.20.30", "1.1.1-rc.1", "1.0.0-alpha+build.7"})
  void parsesAndPrintsCanonically(String text) {
    assertThat(Semver.parse(text).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0/../x", "", " 1.0.0"})
  void refusesWhatIsNotSemver(String text) {
    assertThatThrownBy(() -> Semver.parse(text)).hasMessageContaining("semantic version");
  }

  @ParameterizedTest
  @CsvSource({
    "1.0.0,1.1.0",
    "1.1.0,1.1.1",
    "1.0.0-rc.1,1.0.0",
    "1.0.0-alpha,1.0.0-alpha.1",
    "1.0.0-2,1.0.0-10"
  })
  void ordersByPrecedence(String lower, String higher) {
    assertThat(Semver.parse(lower)).isLessThan(Semver.parse(higher));
  }
}
