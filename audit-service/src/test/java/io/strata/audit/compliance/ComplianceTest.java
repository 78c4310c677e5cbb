package io.strata.audit.compliance;

import static io.strata.audit.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.audit.projection.Logged;
import io.strata.audit.timeline.ClusterHistory;
import io.strata.events.DomainEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ComplianceTest {
  static final String P = "p-7f1c2a9e-0000-4000-8000-000000000001";

  static ClusterHistory.State fold(String id, DomainEvent... events) {
    ClusterHistory.State s = ClusterHistory.State.unknown(id, "default");
    long seq = 0;
    for (DomainEvent e : events) {
      seq++;
      s =
          ClusterHistory.evolve(
                  s, new Logged(seq, Instant.EPOCH.plusSeconds(seq * 10), "a", "default", e))
              .state();
    }
    return s;
  }

  @Test
  @DisplayName("pending updates, deprecated versions, overrides, drift and recovery are counted")
  void counts() {
    String a = "c-00000000-0000-4000-8000-00000000000a";
    String b = "c-00000000-0000-4000-8000-00000000000b";
    ClusterHistory.State sa =
        fold(
            a,
            registered(
                a,
                "a",
                "default",
                spec(
                    1,
                    List.of(attached(P, "web", "1.0.0", 1)),
                    Map.of(),
                    List.of(override(P, "web", "x: 1\n")))),
            failed(a, 1, "e"),
            succeeded(a, 1));
    ClusterHistory.State sb =
        fold(
            b,
            registered(
                b,
                "b",
                "default",
                spec(1, List.of(attached(P, "web", "2.0.0", 1)), Map.of(), List.of())),
            succeeded(b, 1),
            driftDetected(b, 1));
    Compliance.Report r =
        Compliance.compute(
            List.of(sa, sb),
            Map.of(
                P + "@1.0.0", new Compliance.VersionFacts(2, false),
                P + "@2.0.0", new Compliance.VersionFacts(1, true)),
            Map.of("alice", 3L, "bot", 7L));
    assertThat(r.counts().clusters()).isEqualTo(2);
    assertThat(r.counts().converged()).isEqualTo(1);
    assertThat(r.counts().drifted()).isEqualTo(1);
    assertThat(r.counts().pendingUpdates()).isEqualTo(1);
    assertThat(r.counts().withOverrides()).isEqualTo(1);
    assertThat(r.counts().onDeprecatedVersions()).isEqualTo(1);
    assertThat(r.byPhase()).containsEntry("Converged", 1L).containsEntry("Drifted", 1L);
    assertThat(r.timeToRecovery().recoveries()).isEqualTo(1);
    assertThat(r.timeToRecovery().meanMillis()).contains(10_000L);
    assertThat(r.changesPerActor())
        .extracting(Compliance.ActorCount::actor)
        .containsExactly("bot", "alice");
    assertThat(r.clusters().getFirst().overrides()).containsExactly("web/web");
  }

  @Test
  void statusReportsAreNotChanges() {
    assertThat(ActorChanges.isChange(succeeded("c-00000000-0000-4000-8000-00000000000a", 1)))
        .isFalse();
    assertThat(ActorChanges.isChange(profileCreated(P, "web", "default"))).isTrue();
  }
}
