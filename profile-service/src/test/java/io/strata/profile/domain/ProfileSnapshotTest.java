package io.strata.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileEvent.ProfileVersionLocked;
import io.strata.events.Semver;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProfileSnapshotTest {
  @Test
  @DisplayName("a snapshot reads back as the very state it was written from, then folds on")
  void roundTrip() {
    Profile state =
        ProfileDecidersTest.given(
            ProfileDecidersTest.created(),
            ProfileDecidersTest.v100(),
            new ProfileVersionCreated(
                ProfileDecidersTest.ID,
                Semver.parse("1.1.0-rc.1"),
                1,
                "1.0.0",
                List.of(),
                List.of(ProfileDecidersTest.WEB)),
            new ProfileVersionDeprecated(ProfileDecidersTest.ID, ProfileDecidersTest.V100, "old"),
            new ProfileVersionLocked(ProfileDecidersTest.ID, ProfileDecidersTest.V100));
    Profile read = ProfileSnapshot.read(ProfileSnapshot.write(state));
    assertThat(read).isEqualTo(state);
    assertThat(read.version(ProfileDecidersTest.V100).orElseThrow().locked()).isTrue();
    assertThat(read.versions().keySet())
        .containsExactly(ProfileDecidersTest.V100, Semver.parse("1.1.0-rc.1"));
  }
}
