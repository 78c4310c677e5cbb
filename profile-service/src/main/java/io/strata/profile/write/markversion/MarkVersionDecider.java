package io.strata.profile.write.markversion;

import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileEvent.ProfileVersionLocked;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileRejected;
import java.util.List;

/** decide(MarkVersion, Profile) -> events. Pure; marking twice changes nothing. */
public final class MarkVersionDecider {
  private MarkVersionDecider() {}

  public static List<ProfileEvent> decide(MarkVersion cmd, Profile state) {
    if (!state.exists() || state.deleted()) {
      throw new ProfileRejected.NotFound("profile " + cmd.profileId() + " does not exist");
    }
    Profile.VersionState v =
        state
            .version(cmd.version())
            .orElseThrow(
                () -> new ProfileRejected.NotFound("version " + cmd.version() + " does not exist"));
    return switch (cmd.mark()) {
      case DEPRECATE ->
          v.deprecated()
              ? List.of()
              : List.of(new ProfileVersionDeprecated(cmd.profileId(), cmd.version(), cmd.reason()));
      case LOCK ->
          v.locked()
              ? List.of()
              : List.of(new ProfileVersionLocked(cmd.profileId(), cmd.version()));
    };
  }
}
