package io.strata.profile.write.createversion;

import io.strata.events.Semver;
import io.strata.events.access.Role;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles/{id}/versions")
@Tag(name = "profiles")
public class CreateVersionResource {
  private final VersionCreation creation;

  CreateVersionResource(VersionCreation creation) {
    this.creation = creation;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(responseCode = "201", description = "created at revision 1")
  @Operation(summary = "Create a version: a copy of `from`, or new layers (admin)")
  public Response create(@PathParam("id") String id, VersionCreation.CreateVersionRequest body) {
    if (body == null) {
      throw new ProblemException(400, "Bad Request", "a JSON body is required");
    }
    int revision = creation.create(id, body);
    Semver version = Semver.parse(body.version());
    return Response.created(URI.create("/api/v1/profiles/" + id + "/versions/" + version))
        .tag(String.valueOf(revision))
        .entity(Map.of("version", version.toString(), "revision", revision, "status", "active"))
        .build();
  }
}
