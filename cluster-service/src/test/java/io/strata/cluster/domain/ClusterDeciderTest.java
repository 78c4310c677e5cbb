package io.strata.cluster.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cluster.domain.ClusterCommand.ProfileRequest;
import io.strata.events.ClusterEvent;
import io.strata.events.ClusterEvent.ClusterOverrideSet;
import io.strata.events.ClusterEvent.ClusterProfilesAttached;
import io.strata.events.ClusterEvent.ClusterRegistered;
import io.strata.events.ClusterEvent.ClusterRolledBack;
import io.strata.events.ClusterEvent.ClusterUpdatesApplied;
import io.strata.events.ClusterId;
import io.strata.events.Semver;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.ClusterTarget;
import io.strata.events.cluster.SealedValues;
import io.strata.events.cluster.TargetKind;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.http.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Given a cluster's events, when a command, then these events or this refusal. */
class ClusterDeciderTest {
  static final String WEB = "p-00000000-0000-4000-8000-000000000001";
  static final String BASE = "p-00000000-0000-4000-8000-000000000002";
  static final String OTHER_INFRA = "p-00000000-0000-4000-8000-000000000003";
  static final ClusterId CLUSTER = ClusterId.of("c-00000000-0000-4000-8000-00000000000c");

  FakeCatalog catalog = new FakeCatalog();
  Map<Long, ClusterSpec> generations = new HashMap<>();
  OptionalLong lastConverged = OptionalLong.empty();
  List<String> sealed = new ArrayList<>();

  DecisionContext ctx =
      new DecisionContext() {
        @Override
        public Catalog catalog() {
          return catalog;
        }

        @Override
        public Optional<ClusterSpec> generation(long generation) {
          return Optional.ofNullable(generations.get(generation));
        }

        @Override
        public OptionalLong lastConvergedBefore(long generation) {
          return lastConverged;
        }

        @Override
        public String seal(ClusterId cluster, String variable, String value) {
          sealed.add(variable + "=" + value);
          return SealedValues.ref(
              cluster, "00000000-0000-4000-8000-0000000000" + (10 + sealed.size()));
        }
      };

  static List<Variable> vars() {
    return List.of(
        new Variable("replicas", VariableType.NUMBER, "2", false, "", false),
        new Variable("region", VariableType.STRING, "", true, "[a-z]+-[0-9]", false),
        new Variable("token", VariableType.STRING, "", false, "", true));
  }

  static Layer helm(String values) {
    return new Layer.HelmLayer("web", new ChartRef("web", "1.0.0", "", "sha256:x"), values);
  }

  static Layer manifests(String replicas) {
    return new Layer.ManifestLayer(
        "app",
        List.of(
            new Manifest(
                "deploy",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: "
                    + replicas
                    + "}\n")));
  }

  @BeforeEach
  void profiles() {
    catalog.profile(WEB, "web-stack", ProfileType.ADDON, "default");
    catalog.profile(BASE, "base", ProfileType.INFRA, "default");
    catalog.profile(OTHER_INFRA, "other", ProfileType.FULL, "team-b");
    catalog.revise(
        WEB, "1.0.0", vars(), List.of(helm("replicas: 2\nimage: {tag: '1.0'}\n"), manifests("1")));
    catalog.revise(BASE, "1.0.0", List.of(), List.of(manifests("1")));
  }

  ClusterState given(ClusterEvent... events) {
    ClusterState s = ClusterState.unregistered(CLUSTER);
    for (ClusterEvent e : events) {
      s = s.evolve(e);
      spec(e).ifPresent(spec -> generations.put(spec.generation(), spec));
    }
    return s;
  }

  static Optional<ClusterSpec> spec(ClusterEvent e) {
    return switch (e) {
      case ClusterRegistered r -> Optional.of(r.spec());
      case ClusterProfilesAttached a -> Optional.of(a.spec());
      case ClusterOverrideSet o -> Optional.of(o.spec());
      case ClusterUpdatesApplied u -> Optional.of(u.spec());
      case ClusterRolledBack r -> Optional.of(r.spec());
      default -> Optional.empty();
    };
  }

  ClusterEvent registered() {
    return ClusterDecider.decide(
            ClusterState.unregistered(CLUSTER),
            new ClusterCommand.Register(
                CLUSTER,
                "prod-1",
                "default",
                Map.of("env", "prod"),
                new ClusterTarget(TargetKind.SIMULATED, ""),
                io.strata.events.cluster.DriftPolicy.CORRECT,
                List.of(new ProfileRequest("web-stack", "1.0.0", Optional.empty())),
                Map.of("region", "eu-1", "token", "s3cret")),
            ctx)
        .get(0);
  }

  @Test
  void registering_pins_the_newest_revision_and_seals_sensitive_values() {
    ClusterRegistered r = (ClusterRegistered) registered();

    assertThat(r.spec().generation()).isEqualTo(1);
    assertThat(r.spec().profiles())
        .containsExactly(
            new AttachedProfile(
                r.spec().profiles().get(0).profileId(), "web-stack", Semver.parse("1.0.0"), 1));
    assertThat(r.spec().variables().get("token")).startsWith("sealed:" + CLUSTER.value());
    assertThat(r.spec().variables().toString()).doesNotContain("s3cret");
    assertThat(sealed).containsExactly("token=s3cret");
  }

  @Test
  void every_problem_of_a_registration_is_listed_at_once() {
    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    ClusterState.unregistered(CLUSTER),
                    new ClusterCommand.Register(
                        CLUSTER,
                        "prod-1",
                        "default",
                        Map.of(),
                        new ClusterTarget(TargetKind.SIMULATED, ""),
                        io.strata.events.cluster.DriftPolicy.CORRECT,
                        List.of(
                            new ProfileRequest("base", "1.0.0", Optional.empty()),
                            new ProfileRequest("web-stack", "9.9.9", Optional.empty()),
                            new ProfileRequest("other", "1.0.0", Optional.empty()),
                            new ProfileRequest("nope", "1.0.0", Optional.empty())),
                        Map.of("typo", "1")),
                    ctx))
        .isInstanceOfSatisfying(
            ClusterRejected.Invalid.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                        "profiles[1].version",
                        "profiles[2].profileId", // team-b is not shared
                        "profiles[3].profileId",
                        "variables.typo"));
  }

  @Test
  void two_infra_profiles_and_bad_variable_values_are_refused() {
    catalog.profile(OTHER_INFRA, "other", ProfileType.FULL, "default");
    catalog.revise(OTHER_INFRA, "1.0.0", List.of(), List.of());
    ClusterState s = given(registered());

    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    s,
                    new ClusterCommand.AttachProfiles(
                        List.of(
                            new ProfileRequest("base", "1.0.0", Optional.empty()),
                            new ProfileRequest("other", "1.0.0", Optional.empty())),
                        Map.of(),
                        false,
                        false),
                    ctx))
        .isInstanceOf(ClusterRejected.Invalid.class)
        .hasMessageContaining("at most one infra or full profile");
    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    s,
                    new ClusterCommand.SetVariables(Map.of("replicas", "many", "region", "EU")),
                    ctx))
        .isInstanceOfSatisfying(
            ClusterRejected.Invalid.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder("variables.replicas", "variables.region"));
  }

  @Test
  void an_in_place_update_is_pending_until_applied_and_attach_keeps_the_revision() {
    ClusterState s = given(registered());
    catalog.revise(
        WEB, "1.0.0", vars(), List.of(helm("replicas: 2\nimage: {tag: '1.1'}\n"), manifests("1")));

    assertThat(ClusterDecider.pending(s.spec(), catalog)).hasSize(1);
    List<ClusterEvent> same =
        ClusterDecider.decide(
            s,
            new ClusterCommand.AttachProfiles(
                List.of(new ProfileRequest("web-stack", "1.0.0", Optional.empty())),
                Map.of(),
                false,
                false),
            ctx);
    assertThat(same).isEmpty();

    ClusterUpdatesApplied applied =
        (ClusterUpdatesApplied)
            ClusterDecider.decide(s, new ClusterCommand.ApplyPendingUpdates(false, Map.of()), ctx)
                .get(0);
    assertThat(applied.spec().generation()).isEqualTo(2);
    assertThat(applied.spec().profiles().get(0).revision()).isEqualTo(2);
    assertThat(applied.applied().get(0).fromRevision()).isEqualTo(1);
    assertThat(ClusterDecider.pending(given(registered(), applied).spec(), catalog)).isEmpty();
    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    given(registered(), applied),
                    new ClusterCommand.ApplyPendingUpdates(false, Map.of()),
                    ctx))
        .isInstanceOf(ClusterRejected.Conflict.class)
        .hasMessageContaining("no pending updates");
  }

  ClusterOverrideSet overrideReplicas(ClusterState s) {
    return (ClusterOverrideSet)
        ClusterDecider.decide(
                s,
                new ClusterCommand.SetOverride("web-stack", "web", "replicas: 5\n", List.of()),
                ctx)
            .get(0);
  }

  @Test
  void an_override_whose_base_changed_is_a_conflict_and_applying_needs_acceptance() {
    ClusterEvent r = registered();
    ClusterOverrideSet o = overrideReplicas(given(r));
    assertThat(o.override().baseRevision()).isEqualTo(1);
    ClusterState s = given(r, o);
    catalog.revise(
        WEB, "1.0.0", vars(), List.of(helm("replicas: 3\nimage: {tag: '1.0'}\n"), manifests("1")));

    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    s, new ClusterCommand.ApplyPendingUpdates(false, Map.of()), ctx))
        .isInstanceOfSatisfying(
            ClusterRejected.Conflict.class,
            e -> {
              assertThat(e.getMessage()).contains("acceptConflicts=true");
              assertThat(e.errors().get(0).field()).isEqualTo("overrides.web.replicas");
              assertThat(e.errors().get(0).message())
                  .contains("base was 2, is now 3; override sets 5");
            });

    ClusterUpdatesApplied applied =
        (ClusterUpdatesApplied)
            ClusterDecider.decide(s, new ClusterCommand.ApplyPendingUpdates(true, Map.of()), ctx)
                .get(0);
    assertThat(applied.spec().overrides().get(0).values()).isEqualTo("replicas: 5\n");
    assertThat(applied.spec().overrides().get(0).baseRevision()).isEqualTo(2);
  }

  @Test
  void a_base_change_elsewhere_is_no_conflict_and_the_override_follows_the_update() {
    ClusterEvent r = registered();
    ClusterOverrideSet o = overrideReplicas(given(r));
    catalog.revise(
        WEB, "1.0.0", vars(), List.of(helm("replicas: 2\nimage: {tag: '2.0'}\n"), manifests("1")));

    ClusterUpdatesApplied applied =
        (ClusterUpdatesApplied)
            ClusterDecider.decide(
                    given(r, o), new ClusterCommand.ApplyPendingUpdates(false, Map.of()), ctx)
                .get(0);
    assertThat(applied.spec().overrides().get(0).baseRevision()).isEqualTo(2);
  }

  @Test
  void manifest_patches_must_target_an_object_of_the_layer_and_conflict_like_values() {
    ClusterEvent r = registered();
    ClusterState s = given(r);
    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    s,
                    new ClusterCommand.SetOverride(
                        "web-stack",
                        "app",
                        "replicas: 1",
                        List.of(
                            new ClusterCommand.Patch(
                                "Deployment", "nope", "", Map.of("spec", Map.of("replicas", 4))))),
                    ctx))
        .isInstanceOfSatisfying(
            ClusterRejected.Invalid.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder("values", "patches[0].target"));

    ClusterOverrideSet o =
        (ClusterOverrideSet)
            ClusterDecider.decide(
                    s,
                    new ClusterCommand.SetOverride(
                        "web-stack",
                        "app",
                        "",
                        List.of(
                            new ClusterCommand.Patch(
                                "Deployment", "web", "", Map.of("spec", Map.of("replicas", 4))))),
                    ctx)
                .get(0);
    catalog.revise(WEB, "1.0.0", vars(), List.of(helm("replicas: 2\n"), manifests("2")));
    var conflicts =
        Overrides.conflicts(
            o.spec().overrides(),
            Map.of(o.override().profileId(), new Overrides.Pin(Semver.parse("1.0.0"), 2)),
            Map.of(),
            catalog);
    assertThat(conflicts)
        .extracting(Overrides.Conflict::path)
        .containsExactly("Deployment/web: spec.replicas");
  }

  @Test
  void rollback_returns_to_the_last_converged_generation_overrides_included() {
    catalog.revise(WEB, "1.1.0", vars(), List.of(helm("replicas: 2\n"), manifests("1")));
    ClusterEvent r = registered();
    ClusterOverrideSet o = overrideReplicas(given(r)); // generation 2, converged
    ClusterProfilesAttached upgrade =
        (ClusterProfilesAttached)
            ClusterDecider.decide(
                    given(r, o),
                    new ClusterCommand.AttachProfiles(
                        List.of(new ProfileRequest("web-stack", "1.1.0", Optional.empty())),
                        Map.of(),
                        false,
                        false),
                    ctx)
                .get(0);
    assertThat(upgrade.reason()).isEqualTo("upgrade");
    lastConverged = OptionalLong.of(2);

    ClusterRolledBack back =
        (ClusterRolledBack)
            ClusterDecider.decide(
                    given(r, o, upgrade), new ClusterCommand.Rollback(OptionalLong.empty()), ctx)
                .get(0);

    assertThat(back.restoredGeneration()).isEqualTo(2);
    assertThat(back.spec().generation()).isEqualTo(4);
    assertThat(back.spec().profiles().get(0).version()).isEqualTo(Semver.parse("1.0.0"));
    assertThat(back.spec().overrides()).isEqualTo(o.spec().overrides());
  }

  @Test
  void the_drift_policy_changes_without_a_new_generation() {
    ClusterState s = given(registered());
    assertThat(s.driftPolicy()).isEqualTo(io.strata.events.cluster.DriftPolicy.CORRECT);

    List<ClusterEvent> set =
        ClusterDecider.decide(
            s, new ClusterCommand.SetDriftPolicy(io.strata.events.cluster.DriftPolicy.REPORT), ctx);
    assertThat(set)
        .containsExactly(
            new ClusterEvent.ClusterDriftPolicySet(
                CLUSTER, io.strata.events.cluster.DriftPolicy.REPORT));
    ClusterState reporting = s.evolve(set.get(0));
    assertThat(reporting.generation()).isEqualTo(1);
    assertThat(reporting.driftPolicy()).isEqualTo(io.strata.events.cluster.DriftPolicy.REPORT);
    assertThat(
            ClusterDecider.decide(
                reporting,
                new ClusterCommand.SetDriftPolicy(io.strata.events.cluster.DriftPolicy.REPORT),
                ctx))
        .as("setting the policy it has changes nothing")
        .isEmpty();
  }

  @Test
  void rollback_of_the_first_generation_or_to_a_future_one_is_refused() {
    ClusterState s = given(registered());
    assertThatThrownBy(
            () -> ClusterDecider.decide(s, new ClusterCommand.Rollback(OptionalLong.empty()), ctx))
        .isInstanceOf(ClusterRejected.Conflict.class)
        .hasMessageContaining("first");
    assertThatThrownBy(
            () -> ClusterDecider.decide(s, new ClusterCommand.Rollback(OptionalLong.of(7)), ctx))
        .isInstanceOf(ClusterRejected.Invalid.class)
        .hasMessageContaining("toGeneration");
  }

  @Test
  void before_any_generation_converged_rollback_restores_the_previous_one() {
    ClusterEvent r = registered();
    ClusterOverrideSet o = overrideReplicas(given(r));
    ClusterRolledBack back =
        (ClusterRolledBack)
            ClusterDecider.decide(
                    given(r, o), new ClusterCommand.Rollback(OptionalLong.empty()), ctx)
                .get(0);
    assertThat(back.restoredGeneration()).isEqualTo(1);
    assertThat(back.spec().overrides()).isEmpty();
  }

  @Test
  void deprecated_and_locked_versions_cannot_be_attached() {
    catalog.revise(WEB, "0.9.0", vars(), List.of(helm("")));
    catalog.deprecateAndLock(WEB, "0.9.0");
    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    given(registered()),
                    new ClusterCommand.AttachProfiles(
                        List.of(new ProfileRequest("web-stack", "0.9.0", Optional.empty())),
                        Map.of(),
                        false,
                        false),
                    ctx))
        .hasMessageContaining("deprecated and locked");
  }

  @Test
  void the_diff_marks_overridden_paths_changes_and_conflicts() {
    catalog.revise(
        WEB, "1.1.0", vars(), List.of(helm("replicas: 4\nimage: {tag: '1.1'}\n"), manifests("1")));
    ClusterEvent r = registered();
    ClusterOverrideSet o = overrideReplicas(given(r));
    ClusterSpec current = o.spec();
    var pins = ClusterDecider.pins(current.profiles());
    ClusterSpec candidate =
        new ClusterSpec(
            3,
            List.of(
                new AttachedProfile(
                    current.profiles().get(0).profileId(), "web-stack", Semver.parse("1.1.0"), 1)),
            current.variables(),
            current.overrides());

    ClusterDiff.Diff d = ClusterDiff.compute(current, candidate, catalog);

    assertThat(pins).hasSize(1);
    ClusterDiff.LayerDiff web = d.profiles().get(0).layers().get(0);
    assertThat(d.profiles().get(0).change()).isEqualTo("upgrade");
    assertThat(web.overriddenPaths()).containsExactly("replicas");
    assertThat(web.effective()).isEqualTo(Map.of("replicas", 5, "image", Map.of("tag", "1.1")));
    assertThat(web.changes())
        .extracting(ClusterDiff.ValueChange::path)
        .containsExactly("image.tag");
    assertThat(web.conflicts()).extracting(Overrides.Conflict::path).containsExactly("replicas");
    assertThat(d.conflicts()).hasSize(1);
  }

  @Test
  void a_revision_that_needs_a_new_variable_is_applied_with_it() {
    ClusterState s = given(registered());
    List<Variable> more = new ArrayList<>(vars());
    more.add(new Variable("zone", VariableType.STRING, "", true, "", false));
    catalog.revise(WEB, "1.0.0", more, List.of(helm("replicas: 2\n"), manifests("1")));

    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    s, new ClusterCommand.ApplyPendingUpdates(false, Map.of()), ctx))
        .hasMessageContaining("variables.zone");
    ClusterUpdatesApplied applied =
        (ClusterUpdatesApplied)
            ClusterDecider.decide(
                    s, new ClusterCommand.ApplyPendingUpdates(false, Map.of("zone", "a")), ctx)
                .get(0);
    assertThat(applied.spec().variables()).containsEntry("zone", "a");
  }

  @Test
  void attach_does_not_move_the_revision_of_an_attached_version() {
    ClusterState s = given(registered());
    catalog.revise(WEB, "1.0.0", vars(), List.of(helm("replicas: 9\n"), manifests("1")));
    assertThatThrownBy(
            () ->
                ClusterDecider.decide(
                    s,
                    new ClusterCommand.AttachProfiles(
                        List.of(new ProfileRequest("web-stack", "1.0.0", Optional.of(2))),
                        Map.of(),
                        false,
                        false),
                    ctx))
        .hasMessageContaining("pending-updates/apply");
  }

  @Test
  void a_merged_attach_keeps_the_profiles_it_does_not_name_and_swaps_the_infra_slot() {
    catalog.profile(OTHER_INFRA, "other", ProfileType.FULL, "default");
    catalog.revise(OTHER_INFRA, "1.0.0", List.of(), List.of());
    ClusterEvent r = registered();
    ClusterProfilesAttached withBase =
        (ClusterProfilesAttached)
            ClusterDecider.decide(
                    given(r),
                    new ClusterCommand.AttachProfiles(
                        List.of(new ProfileRequest("base", "1.0.0", Optional.empty())),
                        Map.of(),
                        false,
                        true),
                    ctx)
                .get(0);
    assertThat(withBase.spec().profiles())
        .extracting(AttachedProfile::name)
        .containsExactlyInAnyOrder("base", "web-stack");

    ClusterProfilesAttached swapped =
        (ClusterProfilesAttached)
            ClusterDecider.decide(
                    given(r, withBase),
                    new ClusterCommand.AttachProfiles(
                        List.of(new ProfileRequest("other", "1.0.0", Optional.empty())),
                        Map.of(),
                        false,
                        true),
                    ctx)
                .get(0);
    assertThat(swapped.spec().profiles())
        .extracting(AttachedProfile::name)
        .containsExactlyInAnyOrder("other", "web-stack");
  }

  @Test
  void a_variable_any_profile_marks_sensitive_is_sealed() {
    catalog.revise(
        BASE,
        "1.0.0",
        List.of(new Variable("token", VariableType.STRING, "", false, "", false)),
        List.of(manifests("1")));
    ClusterRegistered r =
        (ClusterRegistered)
            ClusterDecider.decide(
                    ClusterState.unregistered(CLUSTER),
                    new ClusterCommand.Register(
                        CLUSTER,
                        "c",
                        "default",
                        Map.of(),
                        new ClusterTarget(TargetKind.SIMULATED, ""),
                        io.strata.events.cluster.DriftPolicy.CORRECT,
                        List.of(
                            new ProfileRequest("base", "1.0.0", Optional.of(2)),
                            new ProfileRequest("web-stack", "1.0.0", Optional.empty())),
                        Map.of("region", "eu-1", "token", "s3cret")),
                    ctx)
                .get(0);
    assertThat(r.spec().variables().get("token")).startsWith("sealed:");
  }
}
