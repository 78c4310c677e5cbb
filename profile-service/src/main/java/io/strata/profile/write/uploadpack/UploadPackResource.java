package io.strata.profile.write.uploadpack;

import io.strata.events.access.Role;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.security.Allow;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/packs")
@Tag(name = "packs")
public class UploadPackResource {
  private final PackUploads uploads;

  UploadPackResource(PackUploads uploads) {
    this.uploads = uploads;
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(responseCode = "201", description = "stored")
  @APIResponse(responseCode = "200", description = "the same content was there already")
  @Operation(
      summary =
          "Upload a pack: a Helm chart archive (.tgz, linted by Helm) or a manifests bundle (YAML)")
  public Response upload(
      @RestForm String name,
      @RestForm String version,
      @RestForm String kind,
      @RestForm("file") FileUpload file,
      @RestForm String values,
      @RestForm String project) {
    byte[] content = null;
    List<FieldError> fileErrors = new ArrayList<>();
    if (file == null) {
      fileErrors.add(new FieldError("file", "is required"));
    } else if (file.size() > PackUploads.MAX_PACK_BYTES) {
      fileErrors.add(
          new FieldError(
              "file", "has " + file.size() + " bytes; the limit is " + PackUploads.MAX_PACK_BYTES));
    } else {
      try {
        content = Files.readAllBytes(file.uploadedFile());
      } catch (IOException e) {
        fileErrors.add(new FieldError("file", "could not be read: " + e.getMessage()));
      }
    }
    PackUploads.Uploaded up =
        uploads.store(uploads.verify(name, version, kind, content, values, project, fileErrors));
    Map<String, Object> answer = Map.of("name", name, "version", version, "digest", up.digest());
    return (up.created()
            ? Response.created(URI.create("/api/v1/packs/" + name + "/" + version)).entity(answer)
            : Response.ok(answer))
        .build();
  }
}
