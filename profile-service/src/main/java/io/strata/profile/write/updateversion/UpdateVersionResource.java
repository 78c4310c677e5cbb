package io.strata.profile.write.updateversion;

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
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.write.PackPins;
import io.strata.profile.write.ProfileCommands;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles/{id}/versions/{version}")
@Tag(name = "profiles")
public class UpdateVersionResource {
  private final ProfileCommands commands;
  private final PackPins pins;

  UpdateVersionResource(ProfileCommands commands, PackPins pins) {
    this.commands = commands;
    this.pins = pins;
  }

  public record UpdateVersionRequest(List<Layer> layers, List<Variable> variables) {}

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @Operation(
      summary = "Update a version in place: revision n+1 (If-Match: \"n\" required; 412 if stale)")
  public Response update(
      @PathParam("id") String id,
      @PathParam("version") String versionText,
      @HeaderParam("If-Match") String ifMatch,
      UpdateVersionRequest body) {
    if (body == null || body.layers() == null) {
      throw ProblemException.invalid(List.of(new FieldError("layers", "is required")));
    }
    if (!Semver.isValid(versionText)) {
      throw ProblemException.notFound("version " + versionText);
    }
    int expected = revisionOf(ifMatch);
    Semver version = Semver.parse(versionText);
    List<EventEnvelope> appended =
        commands.execute(
            id,
            Role.ADMIN,
            (c, profile, state) -> {
              List<FieldError> problems = new ArrayList<>();
              List<Variable> variables =
                  Optional.ofNullable(body.variables())
                      .orElseGet(
                          () ->
                              state
                                  .version(version)
                                  .map(Profile.VersionState::variables)
                                  .orElse(List.of()));
              ProfileValidation.variables(variables, problems);
              ProfileValidation.layers(profile.type(), body.layers(), variables, problems);
              List<Layer> pinned = pins.pin(c, body.layers(), problems);
              if (!problems.isEmpty()) {
                throw ProblemException.invalid(problems);
              }
              return UpdateVersionDecider.decide(
                  new UpdateVersion(
                      ProfileId.of(id),
                      version,
                      expected,
                      Optional.ofNullable(body.variables()),
                      pinned),
                  state);
            });
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("version", version.toString());
    if (appended.isEmpty()) {
      answer.put("revision", expected);
      answer.put("changes", List.of());
      return Response.ok(answer).tag(String.valueOf(expected)).build();
    }
    ProfileEvent.ProfileVersionUpdated u =
        (ProfileEvent.ProfileVersionUpdated) appended.get(0).event();
    answer.put("revision", u.revision());
    answer.put("changes", u.changes());
    return Response.ok(answer).tag(String.valueOf(u.revision())).build();
  }

  /** {@code "3"}, {@code W/"3"} or {@code 3}; missing is 428, garbage is 400. */
  static int revisionOf(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new ProblemException(
          428,
          "Precondition Required",
          "an in-place update needs If-Match: \"<revision>\" (the ETag you read)");
    }
    String v = ifMatch.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ProblemException(
          400, "Bad Request", "If-Match must be a revision ETag such as \"3\"");
    }
  }
}
