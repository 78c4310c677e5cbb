package io.strata.profile.write.createprofile;

import io.strata.events.profile.Layer;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import java.util.List;

/** The body of {@code POST /api/v1/profiles}, as API.md gives it. */
public record CreateProfileRequest(
    String name,
    ProfileType type,
    String description,
    List<String> tags,
    String project,
    String version,
    List<Variable> variables,
    List<Layer> layers) {
  public CreateProfileRequest {
    description = description == null ? "" : description;
    tags = tags == null ? List.of() : tags;
    project = project == null || project.isEmpty() ? "default" : project;
    variables = variables == null ? List.of() : variables;
    layers = layers == null ? List.of() : layers;
  }
}
