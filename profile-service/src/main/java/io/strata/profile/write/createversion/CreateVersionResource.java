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
import io.strata.kit.security.Allow;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.read.catalog.ProfileView;
import io.strata.profile.write.PackPins;
import io.strata.profile.write.ProfileCommands;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles/{id}/versions")
@Tag(name = "profiles")
public class CreateVersionResource {
  private final ProfileCommands commands;
  private final PackPins pins;

  CreateVersionResource(ProfileCommands commands, PackPins pins) {
    this.commands = commands;
    this.pins = pins;
  }

  public record CreateVersionRequest(
      String version, String from, List<Variable> variables, List<Layer> layers) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @Operation(summary = "Create a version: a copy of `from`, or new layers (admin)")
  public Response create(@PathParam("id") String id, CreateVersionRequest body) {
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
    ProfileView profile = commands.authorize(id, Role.ADMIN);
    Semver version = Semver.parse(body.version());
    List<EventEnvelope> appended =
        commands.execute(
            profile,
            (c, state) -> {
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
    int revision = ((ProfileEvent.ProfileVersionCreated) appended.get(0).event()).revision();
    return Response.created(URI.create("/api/v1/profiles/" + id + "/versions/" + version))
        .tag(String.valueOf(revision))
        .entity(Map.of("version", version.toString(), "revision", revision, "status", "active"))
        .build();
  }
}
