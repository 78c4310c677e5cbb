package io.strata.profile.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.ProfileType;
import io.strata.profile.domain.Profile;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecentStatesTest {
  static Profile profile(String id, int manifestChars) {
    ProfileId pid = ProfileId.of(id);
    Layer layer =
        new Layer.ManifestLayer("config", List.of(new Manifest("cm", "x".repeat(manifestChars))));
    return Profile.fold(
        pid,
        List.of(
            new ProfileCreated(pid, id, ProfileType.FULL, "", List.of(), "default"),
            new ProfileVersionCreated(
                pid, Semver.parse("1.0.0"), 1, "", List.of(), List.of(layer))));
  }

  static void keep(RecentStates states, ProfileId id, long seq, long snapshotSeq, Profile state) {
    states.keep(id, seq, snapshotSeq, state, RecentStates.weight(state));
  }

  @Test
  @DisplayName("a state is weighed by the content it holds")
  void weight() {
    // two bytes a character, as a string with one character beyond Latin-1 stores
    assertThat(RecentStates.weight(profile("p-big", 1_000_000)))
        .isGreaterThan(2_000_000)
        .isLessThan(2_002_000);
    assertThat(RecentStates.weight(profile("p-small", 10))).isLessThan(2_000);
  }

  @Test
  @DisplayName(
      "a small state is snapshotted every 4 events, a large kept one less often (at most every 16),"
          + " one too large to keep every 4")
  void snapshotCadence() {
    assertThat(ProfileCommands.snapshotEvery(RecentStates.weight(profile("p-small", 10)), true))
        .isEqualTo(4);
    assertThat(
            ProfileCommands.snapshotEvery(RecentStates.weight(profile("p-4mb", 2_000_000)), true))
        .isEqualTo(7);
    assertThat(
            ProfileCommands.snapshotEvery(
                RecentStates.weight(profile("p-100mb", 50_000_000)), true))
        .isEqualTo(16);
    assertThat(
            ProfileCommands.snapshotEvery(RecentStates.weight(profile("p-4mb", 2_000_000)), false))
        .isEqualTo(4);
  }

  @Test
  @DisplayName("a newer state replaces the kept one; an older one, arriving late, does not")
  void newerWins() {
    RecentStates states = new RecentStates(10_000_000, 10);
    ProfileId id = ProfileId.of("p-1");
    Profile first = profile("p-1", 10);
    Profile second = profile("p-1", 20);
    keep(states, id, 5, 4, second);
    keep(states, id, 3, 0, first);
    assertThat(states.get(id)).hasValueSatisfying(k -> assertThat(k.state()).isEqualTo(second));
    assertThat(states.get(id).orElseThrow().seq()).isEqualTo(5);
    assertThat(states.get(id).orElseThrow().snapshotSeq()).isEqualTo(4);
    keep(states, id, 6, 4, first);
    assertThat(states.get(id).orElseThrow().seq()).isEqualTo(6);
    assertThat(states.size()).isEqualTo(1);
    assertThat(states.weight()).isEqualTo(RecentStates.weight(first));
  }

  @Test
  @DisplayName("the least recently used go when the content budget or the count is exceeded")
  void bounded() {
    RecentStates states = new RecentStates(2_500_000, 3);
    keep(states, ProfileId.of("a"), 1, 0, profile("a", 500_000));
    keep(states, ProfileId.of("b"), 1, 0, profile("b", 500_000));
    states.get(ProfileId.of("a")); // a is now the more recently used
    keep(states, ProfileId.of("c"), 1, 0, profile("c", 500_000));
    assertThat(states.get(ProfileId.of("b"))).isEmpty();
    assertThat(states.get(ProfileId.of("a"))).isPresent();
    assertThat(states.get(ProfileId.of("c"))).isPresent();
    assertThat(states.weight()).isLessThanOrEqualTo(2_500_000);

    keep(states, ProfileId.of("d"), 1, 0, profile("d", 10));
    keep(states, ProfileId.of("e"), 1, 0, profile("e", 10));
    assertThat(states.size()).isEqualTo(3);
    assertThat(states.get(ProfileId.of("a"))).isEmpty();
  }

  @Test
  @DisplayName("a state larger than the whole budget is not kept, and drops its older one")
  void tooLarge() {
    RecentStates states = new RecentStates(100_000, 10);
    ProfileId id = ProfileId.of("p-1");
    keep(states, id, 1, 0, profile("p-1", 10));
    assertThat(states.fits(RecentStates.weight(profile("p-1", 200_000)))).isFalse();
    keep(states, id, 2, 0, profile("p-1", 200_000));
    assertThat(states.get(id)).isEmpty();
    assertThat(states.weight()).isZero();
  }
}
