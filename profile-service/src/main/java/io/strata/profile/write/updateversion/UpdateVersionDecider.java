package io.strata.profile.write.updateversion;

import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.ProfileVersionUpdated;
import io.strata.events.profile.LayerChange;
import io.strata.events.profile.Variable;
import io.strata.profile.domain.LayerChanges;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileRejected;
import java.util.List;

/**
 * decide(UpdateVersion, Profile) -> events. Pure. The event carries the whole new content and the
 * layer changes, so consumers need nothing else. Saving identical content changes nothing.
 */
public final class UpdateVersionDecider {
  private UpdateVersionDecider() {}

  public static List<ProfileEvent> decide(UpdateVersion cmd, Profile state) {
    if (!state.exists() || state.deleted()) {
      throw new ProfileRejected.NotFound("profile " + cmd.profileId() + " does not exist");
    }
    Profile.VersionState current =
        state
            .version(cmd.version())
            .orElseThrow(
                () -> new ProfileRejected.NotFound("version " + cmd.version() + " does not exist"));
    if (current.locked()) {
      throw new ProfileRejected.Locked(
          "version " + cmd.version() + " is locked: release a new version instead");
    }
    if (current.revision() != cmd.expectedRevision()) {
      throw new ProfileRejected.StaleRevision(
          "If-Match names revision "
              + cmd.expectedRevision()
              + " but version "
              + cmd.version()
              + " is at revision "
              + current.revision());
    }
    List<Variable> variables = cmd.variables().orElse(current.variables());
    List<LayerChange> changes = LayerChanges.between(current.layers(), cmd.layers());
    if (changes.isEmpty() && variables.equals(current.variables())) {
      return List.of();
    }
    return List.of(
        new ProfileVersionUpdated(
            cmd.profileId(),
            cmd.version(),
            current.revision() + 1,
            variables,
            cmd.layers(),
            changes));
  }
}
