package io.strata.audit.timeline;

import static io.strata.audit.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.audit.projection.Logged;
import io.strata.events.DomainEvent;
import io.strata.events.cluster.ClusterPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterHistoryTest {
  static final String C = "c-7f1c2a9e-0000-4000-8000-000000000002";
  static final String P = "p-7f1c2a9e-0000-4000-8000-000000000001";
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  record Folded(ClusterHistory.State state, List<ClusterHistory.Step> steps) {}

  static Folded given(DomainEvent... events) {
    ClusterHistory.State s = ClusterHistory.State.unknown(C, "default");
    List<ClusterHistory.Step> steps = new ArrayList<>();
    long seq = 0;
    for (DomainEvent e : events) {
      seq++;
      ClusterHistory.Step step =
          ClusterHistory.evolve(
              s, new Logged(seq, T0.plusSeconds(60 * seq), "alice", "default", e));
      steps.add(step);
      s = step.state();
    }
    return new Folded(s, steps);
  }

  static Map<String, Object> gen(long g, int revision) {
    return spec(g, List.of(attached(P, "web-stack", "1.0.0", revision)), Map.of(), List.of());
  }

  @Test
  @DisplayName("a new generation is Pending until the reconciler converges it")
  void givenRegistered_whenReconciled_thenConverged() {
    Folded f = given(registered(C, "prod-1", "default", gen(1, 1)));
    assertThat(f.state().phase()).isEqualTo(ClusterPhase.Pending);
    assertThat(f.steps().getFirst().spec()).isPresent();
    f = given(registered(C, "prod-1", "default", gen(1, 1)), started(C, 1), succeeded(C, 1));
    assertThat(f.state().phase()).isEqualTo(ClusterPhase.Converged);
    assertThat(f.state().lastConvergedGeneration()).isEqualTo(1);
    assertThat(f.steps())
        .extracting(s -> s.entry().kind().label())
        .containsExactly("registered", "reconcile-started", "reconcile-succeeded");
  }

  @Test
  @DisplayName("an outcome for an older generation does not speak for the newest")
  void givenNewerGeneration_whenOldSucceeds_thenStillPending() {
    Folded f =
        given(
            registered(C, "prod-1", "default", gen(1, 1)),
            profilesAttached(C, gen(2, 2), "upgrade"),
            succeeded(C, 1));
    assertThat(f.state().phase()).isEqualTo(ClusterPhase.Pending);
    assertThat(f.state().generation()).isEqualTo(2);
    assertThat(f.state().lastConvergedGeneration()).isEqualTo(1);
  }

  @Test
  @DisplayName("failures then success: one recovery, timed from the first failure")
  void givenFailures_whenConverged_thenOneRecovery() {
    Folded f =
        given(
            registered(C, "prod-1", "default", gen(1, 1)), // t+1m
            failed(C, 1, "boom"), // t+2m
            failed(C, 1, "boom again"), // t+3m
            succeeded(C, 1)); // t+4m
    assertThat(f.state().failures()).isEqualTo(2);
    assertThat(f.state().recoveries()).isEqualTo(1);
    assertThat(f.state().recoveryMillis()).isEqualTo(2 * 60_000);
    assertThat(f.state().failingSince()).isEmpty();
    assertThat(f.steps().get(1).state().phase()).isEqualTo(ClusterPhase.Failed);
  }

  @Test
  @DisplayName("drift is counted each time and cleared by correction")
  void givenDrift_whenCorrected_thenConvergedAndCounted() {
    Folded f =
        given(
            registered(C, "prod-1", "default", gen(1, 1)),
            succeeded(C, 1),
            driftDetected(C, 1),
            driftCorrected(C, 1),
            driftDetected(C, 1));
    assertThat(f.state().driftCount()).isEqualTo(2);
    assertThat(f.state().drifted()).isTrue();
    assertThat(f.steps().get(3).state().phase()).isEqualTo(ClusterPhase.Converged);
    assertThat(f.steps().get(3).state().drifted()).isFalse();
  }

  @Test
  @DisplayName("a rollback is a new generation with its reason; overrides come with the spec")
  void givenRollback_thenNewGenerationNamed() {
    Map<String, Object> withOverride =
        spec(
            3,
            List.of(attached(P, "web-stack", "1.0.0", 1)),
            Map.of(),
            List.of(override(P, "web", "a: 1\n")));
    Folded f =
        given(
            registered(C, "prod-1", "default", gen(1, 1)),
            profilesAttached(C, gen(2, 2), "upgrade"),
            rolledBack(C, withOverride, 1));
    ClusterHistory.Step last = f.steps().getLast();
    assertThat(last.entry().kind()).isEqualTo(ClusterHistory.Kind.ROLLED_BACK);
    assertThat(last.entry().reason()).isEqualTo("rollback to generation 1");
    assertThat(last.spec()).get().extracting(ClusterHistory.SpecChange::generation).isEqualTo(3L);
    assertThat(f.state().overrides()).hasSize(1);
  }

  @Test
  @DisplayName(
      "an outcome logged before its spec change (another topic) still yields the right phase")
  void givenOutcomeFirst_whenSpecArrives_thenPhaseFromOutcome() {
    Folded converged = given(succeeded(C, 1), registered(C, "prod-1", "default", gen(1, 1)));
    assertThat(converged.state().phase()).isEqualTo(ClusterPhase.Converged);
    assertThat(converged.state().name()).isEqualTo("prod-1");
    Folded failing =
        given(
            registered(C, "prod-1", "default", gen(1, 1)),
            succeeded(C, 1),
            failed(C, 2, "boom"),
            profilesAttached(C, gen(2, 2), "upgrade"));
    assertThat(failing.state().phase()).isEqualTo(ClusterPhase.Failed);
    assertThat(failing.state().failingSince()).isPresent();
  }
}
