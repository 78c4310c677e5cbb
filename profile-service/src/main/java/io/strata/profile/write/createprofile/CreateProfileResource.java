package io.strata.profile.write.createprofile;

import io.strata.events.access.Role;
import io.strata.kit.security.Allow;
import io.strata.profile.read.catalog.ProfileView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles")
@Tag(name = "profiles")
public class CreateProfileResource {
  private final ProfileCreation creation;

  CreateProfileResource(ProfileCreation creation) {
    this.creation = creation;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(responseCode = "201", description = "created with its first version")
  @Operation(summary = "Create a profile with its first version (admin of its project)")
  public Response create(CreateProfileRequest body) {
    ProfileView created = creation.create(body);
    return Response.created(URI.create("/api/v1/profiles/" + created.id()))
        .tag(String.valueOf(created.seq()))
        .entity(created)
        .build();
  }
}
