package io.strata.profile.write.createprofile;

import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileRejected;
import java.util.List;

/** decide(CreateProfile, Profile) -> events. Pure. */
public final class CreateProfileDecider {
  private CreateProfileDecider() {}

  public static List<ProfileEvent> decide(CreateProfile cmd, Profile state) {
    if (state.exists()) {
      throw new ProfileRejected.AlreadyExists("profile " + cmd.profileId() + " already exists");
    }
    return List.of(
        new ProfileCreated(
            cmd.profileId(), cmd.name(), cmd.type(), cmd.description(), cmd.tags(), cmd.project()),
        new ProfileVersionCreated(
            cmd.profileId(), cmd.version(), 1, "", cmd.variables(), cmd.layers()));
  }
}
