package io.strata.profile.write.createversion;

import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.access.Role;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.write.PackPins;
import io.strata.profile.write.ProfileCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Creates a version of an authorised profile: for the REST resource and for import. */
@ApplicationScoped
public class VersionCreation {
  private final ProfileCommands commands;
  private final PackPins pins;

  VersionCreation(ProfileCommands commands, PackPins pins) {
    this.commands = commands;
    this.pins = pins;
  }

  public record CreateVersionRequest(
      String version, String from, List<Variable> variables, List<Layer> layers) {}

  /**
   * @return the new version's revision (1)
   */
  public int create(String id, CreateVersionRequest body) {
    if (body == null) {
      throw new ProblemException(400, "Bad Request", "a JSON body is required");
    }
    List<FieldError> errors = new ArrayList<>();
    ProfileValidation.version("version", body.version(), errors);
    if (body.from() != null && !body.from().isEmpty()) {
      ProfileValidation.version("from", body.from(), errors);
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    Semver version = Semver.parse(body.version());
    List<EventEnvelope> appended =
        commands.execute(
            id,
            Role.ADMIN,
            (c, profile, state) -> {
              CreateVersion cmd =
                  new CreateVersion(
                      ProfileId.of(id),
                      version,
                      Optional.ofNullable(body.from()).filter(f -> !f.isEmpty()).map(Semver::parse),
                      Optional.ofNullable(body.variables()),
                      Optional.ofNullable(body.layers()));
              List<ProfileEvent> events = CreateVersionDecider.decide(cmd, state);
              ProfileEvent.ProfileVersionCreated created =
                  (ProfileEvent.ProfileVersionCreated) events.get(0);
              List<FieldError> problems = new ArrayList<>();
              ProfileValidation.variables(created.variables(), problems);
              ProfileValidation.layers(
                  profile.type(), created.layers(), created.variables(), problems);
              List<Layer> pinned = pins.pin(c, created.layers(), problems);
              if (!problems.isEmpty()) {
                throw ProblemException.invalid(problems);
              }
              return List.of(
                  new ProfileEvent.ProfileVersionCreated(
                      created.profileId(),
                      created.version(),
                      created.revision(),
                      created.copiedFrom(),
                      created.variables(),
                      pinned));
            });
    return ((ProfileEvent.ProfileVersionCreated) appended.get(0).event()).revision();
  }
}
