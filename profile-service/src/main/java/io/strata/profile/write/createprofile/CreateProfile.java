package io.strata.profile.write.createprofile;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import java.util.List;

/** Create a profile together with its first version. Already validated. */
public record CreateProfile(
    ProfileId profileId,
    String name,
    ProfileType type,
    String description,
    List<String> tags,
    String project,
    Semver version,
    List<Variable> variables,
    List<Layer> layers) {

  public CreateProfile withLayers(List<Layer> pinned) {
    return new CreateProfile(
        profileId, name, type, description, tags, project, version, variables, pinned);
  }
}
