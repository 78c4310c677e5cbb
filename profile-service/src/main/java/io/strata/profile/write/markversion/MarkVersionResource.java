package io.strata.profile.write.markversion;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.access.Role;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.profile.write.ProfileCommands;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles/{id}/versions/{version}")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
public class MarkVersionResource {
  private final ProfileCommands commands;

  MarkVersionResource(ProfileCommands commands) {
    this.commands = commands;
  }

  @POST
  @Path("/deprecate")
  @Allow(Role.ADMIN)
  @Operation(summary = "Deprecate a version (clusters on it show it; it stays usable)")
  public Map<String, Object> deprecate(
      @PathParam("id") String id,
      @PathParam("version") String version,
      @QueryParam("reason") String reason) {
    return mark(id, version, MarkVersion.Mark.DEPRECATE, reason == null ? "" : reason);
  }

  @POST
  @Path("/lock")
  @Allow(Role.ADMIN)
  @Operation(summary = "Lock a version: from now on only a new version changes it")
  public Map<String, Object> lock(
      @PathParam("id") String id, @PathParam("version") String version) {
    return mark(id, version, MarkVersion.Mark.LOCK, "");
  }

  private Map<String, Object> mark(
      String id, String versionText, MarkVersion.Mark mark, String reason) {
    if (!Semver.isValid(versionText)) {
      throw ProblemException.notFound("version " + versionText);
    }
    if (reason.length() > 1024) {
      throw new ProblemException(400, "Bad Request", "reason: at most 1024 characters");
    }
    Semver version = Semver.parse(versionText);
    commands.execute(
        id,
        Role.ADMIN,
        (c, profile, state) ->
            MarkVersionDecider.decide(
                new MarkVersion(ProfileId.of(id), version, mark, reason), state));
    return Map.of(
        "version",
        version.toString(),
        "marked",
        mark == MarkVersion.Mark.LOCK ? "locked" : "deprecated");
  }
}
