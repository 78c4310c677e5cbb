package io.strata.profile.write.createversion;

import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileRejected;
import java.util.List;

/** decide(CreateVersion, Profile) -> events. Pure. */
public final class CreateVersionDecider {
  private CreateVersionDecider() {}

  public static List<ProfileEvent> decide(CreateVersion cmd, Profile state) {
    if (!state.exists() || state.deleted()) {
      throw new ProfileRejected.NotFound("profile " + cmd.profileId() + " does not exist");
    }
    if (state.version(cmd.version()).isPresent()) {
      throw new ProfileRejected.AlreadyExists(
          "version "
              + cmd.version()
              + " of "
              + state.name()
              + " exists; update it in place or pick another");
    }
    List<Variable> variables = cmd.variables().orElse(List.of());
    List<Layer> layers = cmd.layers().orElse(List.of());
    if (cmd.from().isPresent()) {
      Profile.VersionState from =
          state
              .version(cmd.from().get())
              .orElseThrow(
                  () ->
                      new ProfileRejected.Unprocessable(
                          "from", "version " + cmd.from().get() + " does not exist"));
      variables = cmd.variables().orElse(from.variables());
      layers = cmd.layers().orElse(from.layers());
    } else if (cmd.layers().isEmpty()) {
      throw new ProfileRejected.Unprocessable("layers", "give layers, or from (a version to copy)");
    }
    return List.of(
        new ProfileVersionCreated(
            cmd.profileId(),
            cmd.version(),
            1,
            cmd.from().map(Object::toString).orElse(""),
            variables,
            layers));
  }
}
