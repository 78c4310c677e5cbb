package io.strata.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.events.access.Role;
import io.strata.kit.http.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CallerTest {
  private final Caller teamAOperator =
      new Caller("bot", Caller.Kind.API_KEY, Map.of("team-a", Role.OPERATOR));

  @Test
  @DisplayName(
      "another team's project does not exist for the caller (404), its own lesser role is 403")
  void requireHidesOtherProjects() {
    assertThatThrownBy(() -> teamAOperator.require("team-b", Role.VIEWER, "cluster c-1"))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> teamAOperator.require("team-a", Role.ADMIN, "cluster c-1"))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(403));
    teamAOperator.require("team-a", Role.VIEWER, "cluster c-1");
  }

  @Test
  void allProjectsBindingCombinesWithSpecificOnes() {
    Caller c = new Caller("u", Caller.Kind.JWT, Map.of("*", Role.VIEWER, "team-a", Role.ADMIN));
    assertThat(c.roleIn("team-a")).contains(Role.ADMIN);
    assertThat(c.roleIn("team-z")).contains(Role.VIEWER);
    assertThat(c.seesAllProjects()).isTrue();
    assertThat(c.hasAnywhere(Role.ADMIN)).isTrue();
    assertThat(teamAOperator.hasAnywhere(Role.ADMIN)).isFalse();
  }

  @Test
  @DisplayName("API keys: only the right secret matches; the stored hash is not the key")
  void apiKeys() {
    ApiKeys.Generated k = ApiKeys.generate();
    ApiKeys.Parsed parsed = ApiKeys.parse(k.key()).orElseThrow();
    assertThat(parsed.keyId()).isEqualTo(k.keyId());
    assertThat(ApiKeys.matches(k.salt(), k.hash(), parsed.secret())).isTrue();
    assertThat(ApiKeys.matches(k.salt(), k.hash(), parsed.secret().replace('a', 'b') + "x"))
        .isFalse();
    assertThat(k.hash()).doesNotContain(parsed.secret());
    assertThat(ApiKeys.parse("stk_../x_y")).isEmpty();
    assertThat(ApiKeys.generate().key()).isNotEqualTo(k.key());
  }
}
