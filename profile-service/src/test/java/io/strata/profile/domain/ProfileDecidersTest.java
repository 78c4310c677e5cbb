package io.strata.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileEvent.ProfileVersionLocked;
import io.strata.events.ProfileEvent.ProfileVersionUpdated;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.LayerChange;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.profile.write.createprofile.CreateProfile;
import io.strata.profile.write.createprofile.CreateProfileDecider;
import io.strata.profile.write.createversion.CreateVersion;
import io.strata.profile.write.createversion.CreateVersionDecider;
import io.strata.profile.write.markversion.MarkVersion;
import io.strata.profile.write.markversion.MarkVersionDecider;
import io.strata.profile.write.updateversion.UpdateVersion;
import io.strata.profile.write.updateversion.UpdateVersionDecider;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** given(events).when(command).then(events or refusal), for every profile command. */
class ProfileDecidersTest {
  static final ProfileId ID = ProfileId.of("p-1");
  static final Semver V100 = Semver.parse("1.0.0");
  static final Semver V110 = Semver.parse("1.1.0");
  static final List<Variable> VARS =
      List.of(new Variable("replicas", VariableType.NUMBER, "2", false, "", false));
  static final Layer WEB =
      new Layer.ManifestLayer(
          "web",
          List.of(
              new Manifest("web", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n")));
  static final Layer INGRESS =
      new Layer.HelmLayer("ingress", new ChartRef("nginx", "1.0.0", "", "sha256:a"), "a: 1\n");

  static Profile given(ProfileEvent... events) {
    return Profile.fold(ID, List.of(events));
  }

  static ProfileCreated created() {
    return new ProfileCreated(ID, "web-stack", ProfileType.FULL, "", List.of(), "default");
  }

  static ProfileVersionCreated v100() {
    return new ProfileVersionCreated(ID, V100, 1, "", VARS, List.of(WEB, INGRESS));
  }

  @Test
  void givenNothing_whenCreateProfile_thenProfileAndRevision1() {
    var cmd =
        new CreateProfile(
            ID, "web-stack", ProfileType.FULL, "", List.of(), "default", V100, VARS, List.of(WEB));
    assertThat(CreateProfileDecider.decide(cmd, given()))
        .containsExactly(created(), new ProfileVersionCreated(ID, V100, 1, "", VARS, List.of(WEB)));
  }

  @Test
  void givenProfile_whenCreateItAgain_thenRejected() {
    var cmd =
        new CreateProfile(
            ID, "web-stack", ProfileType.FULL, "", List.of(), "default", V100, VARS, List.of(WEB));
    assertThatThrownBy(() -> CreateProfileDecider.decide(cmd, given(created(), v100())))
        .isInstanceOf(ProfileRejected.AlreadyExists.class);
  }

  @Test
  void givenVersion_whenCreateFromIt_thenContentIsCopied() {
    var cmd = new CreateVersion(ID, V110, Optional.of(V100), Optional.empty(), Optional.empty());
    assertThat(CreateVersionDecider.decide(cmd, given(created(), v100())))
        .containsExactly(
            new ProfileVersionCreated(ID, V110, 1, "1.0.0", VARS, List.of(WEB, INGRESS)));
  }

  @Test
  void givenVersion_whenCreateFromItWithNewLayers_thenNewLayersWin() {
    var cmd =
        new CreateVersion(ID, V110, Optional.of(V100), Optional.empty(), Optional.of(List.of(WEB)));
    assertThat(CreateVersionDecider.decide(cmd, given(created(), v100())))
        .containsExactly(new ProfileVersionCreated(ID, V110, 1, "1.0.0", VARS, List.of(WEB)));
  }

  @Test
  void givenVersion_whenCreateItAgain_thenConflict() {
    var cmd =
        new CreateVersion(ID, V100, Optional.empty(), Optional.empty(), Optional.of(List.of(WEB)));
    assertThatThrownBy(() -> CreateVersionDecider.decide(cmd, given(created(), v100())))
        .isInstanceOf(ProfileRejected.AlreadyExists.class);
  }

  @Test
  void givenNoSuchFrom_whenCreateVersion_thenUnprocessableNamingFrom() {
    var cmd =
        new CreateVersion(
            ID, V110, Optional.of(Semver.parse("0.9.0")), Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> CreateVersionDecider.decide(cmd, given(created(), v100())))
        .isInstanceOfSatisfying(
            ProfileRejected.Unprocessable.class, e -> assertThat(e.field()).isEqualTo("from"));
  }

  @Test
  void givenNoProfile_whenCreateVersion_thenNotFound() {
    var cmd =
        new CreateVersion(ID, V110, Optional.empty(), Optional.empty(), Optional.of(List.of(WEB)));
    assertThatThrownBy(() -> CreateVersionDecider.decide(cmd, given()))
        .isInstanceOf(ProfileRejected.NotFound.class);
  }

  @Test
  void givenRevision1_whenUpdateInPlace_thenRevision2WithContentAndChanges() {
    Layer reconfigured =
        new Layer.HelmLayer("ingress", new ChartRef("nginx", "1.0.0", "", "sha256:a"), "a: 2\n");
    var cmd = new UpdateVersion(ID, V100, 1, Optional.empty(), List.of(WEB, reconfigured));
    assertThat(UpdateVersionDecider.decide(cmd, given(created(), v100())))
        .containsExactly(
            new ProfileVersionUpdated(
                ID,
                V100,
                2,
                VARS,
                List.of(WEB, reconfigured),
                List.of(new LayerChange("ingress", LayerChange.Kind.RECONFIGURED))));
  }

  @Test
  void givenRevision2_whenUpdateWithIfMatch1_thenStale() {
    var second = new ProfileVersionUpdated(ID, V100, 2, VARS, List.of(WEB), List.of());
    var cmd = new UpdateVersion(ID, V100, 1, Optional.empty(), List.of(WEB, INGRESS));
    assertThatThrownBy(() -> UpdateVersionDecider.decide(cmd, given(created(), v100(), second)))
        .isInstanceOf(ProfileRejected.StaleRevision.class)
        .hasMessageContaining("revision 2");
  }

  @Test
  void givenVersionLocked_whenUpdateInPlace_thenRejected() {
    var cmd = new UpdateVersion(ID, V100, 1, Optional.empty(), List.of(WEB));
    assertThatThrownBy(
            () ->
                UpdateVersionDecider.decide(
                    cmd, given(created(), v100(), new ProfileVersionLocked(ID, V100))))
        .isInstanceOf(ProfileRejected.Locked.class);
  }

  @Test
  void givenVersion_whenUpdateWithSameContent_thenNothingHappens() {
    var cmd = new UpdateVersion(ID, V100, 1, Optional.empty(), List.of(WEB, INGRESS));
    assertThat(UpdateVersionDecider.decide(cmd, given(created(), v100()))).isEmpty();
  }

  @Test
  void givenVersion_whenOnlyVariablesChange_thenNewRevisionWithoutLayerChanges() {
    var vars = List.of(new Variable("replicas", VariableType.NUMBER, "3", false, "", false));
    var cmd = new UpdateVersion(ID, V100, 1, Optional.of(vars), List.of(WEB, INGRESS));
    assertThat(UpdateVersionDecider.decide(cmd, given(created(), v100())))
        .containsExactly(
            new ProfileVersionUpdated(ID, V100, 2, vars, List.of(WEB, INGRESS), List.of()));
  }

  @Test
  void givenDeprecated_whenDeprecateAgain_thenNothing_andLockIsSeparate() {
    Profile state = given(created(), v100(), new ProfileVersionDeprecated(ID, V100, "old"));
    assertThat(
            MarkVersionDecider.decide(
                new MarkVersion(ID, V100, MarkVersion.Mark.DEPRECATE, ""), state))
        .isEmpty();
    assertThat(
            MarkVersionDecider.decide(new MarkVersion(ID, V100, MarkVersion.Mark.LOCK, ""), state))
        .containsExactly(new ProfileVersionLocked(ID, V100));
  }

  @Test
  void givenNoSuchVersion_whenMark_thenNotFound() {
    assertThatThrownBy(
            () ->
                MarkVersionDecider.decide(
                    new MarkVersion(ID, V110, MarkVersion.Mark.LOCK, ""), given(created(), v100())))
        .isInstanceOf(ProfileRejected.NotFound.class);
  }
}
