package io.strata.audit.timeline;

import static io.strata.audit.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.EventJson;
import io.strata.events.cluster.ClusterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SpecDiffTest {
  static final String P = "p-7f1c2a9e-0000-4000-8000-000000000001";

  static ClusterSpec spec(Map<String, Object> m) {
    return EventJson.mapper().convertValue(m, ClusterSpec.class);
  }

  @Test
  @DisplayName(
      "profiles, variables and overrides are compared; what the cluster overrides is marked")
  void marksOverrides() {
    ClusterSpec earlier =
        spec(
            io.strata.audit.Fixtures.spec(
                1, List.of(attached(P, "web", "1.0.0", 1)), Map.of("a", "1"), List.of()));
    ClusterSpec current =
        spec(
            io.strata.audit.Fixtures.spec(
                2,
                List.of(attached(P, "web", "1.0.0", 2)),
                Map.of("a", "2", "b", "x"),
                List.of(override(P, "ingress", "replicas: 5\n"))));
    List<SpecDiff.Line> lines = SpecDiff.between(earlier, current);
    assertThat(lines)
        .extracting(SpecDiff.Line::area, SpecDiff.Line::change, SpecDiff.Line::overridden)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                SpecDiff.Area.profile, SpecDiff.Change.changed, true),
            org.assertj.core.groups.Tuple.tuple(
                SpecDiff.Area.variable, SpecDiff.Change.changed, false),
            org.assertj.core.groups.Tuple.tuple(
                SpecDiff.Area.variable, SpecDiff.Change.added, false),
            org.assertj.core.groups.Tuple.tuple(
                SpecDiff.Area.override, SpecDiff.Change.added, true));
    assertThat(lines.getFirst().from()).isEqualTo("1.0.0@1");
    assertThat(lines.getFirst().to()).isEqualTo("1.0.0@2");
  }
}
