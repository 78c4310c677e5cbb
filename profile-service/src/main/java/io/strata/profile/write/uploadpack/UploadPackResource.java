package io.strata.profile.write.uploadpack;

import io.strata.events.EventEnvelope;
import io.strata.events.PackId;
import io.strata.events.ProfileEvent;
import io.strata.events.access.Role;
import io.strata.events.profile.PackKind;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Names;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.read.packs.PackRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/packs")
@Tag(name = "packs")
public class UploadPackResource {
  static final long MAX_PACK_BYTES = 10L * 1024 * 1024;
  private final EventStore store;
  private final PackRegistry registry;
  private final PackVerifier verifier;
  private final CallerContext caller;
  private final AccessRegistry access;

  UploadPackResource(
      EventStore store,
      PackRegistry registry,
      PackVerifier verifier,
      CallerContext caller,
      AccessRegistry access) {
    this.store = store;
    this.registry = registry;
    this.verifier = verifier;
    this.caller = caller;
    this.access = access;
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
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
    List<FieldError> errors = new ArrayList<>();
    Names.check("name", name, errors);
    ProfileValidation.version("version", version, errors);
    PackKind packKind =
        "helm".equals(kind) ? PackKind.HELM : "manifests".equals(kind) ? PackKind.MANIFESTS : null;
    if (packKind == null) {
      errors.add(new FieldError("kind", "must be helm or manifests"));
    }
    String inProject = project == null || project.isBlank() ? "default" : project;
    Names.check("project", inProject, errors);
    if (errors.isEmpty() && !access.projectExists(inProject)) {
      errors.add(new FieldError("project", "unknown project '" + inProject + "'"));
    }
    String defaults = values == null ? "" : values;
    if (!defaults.isBlank()) {
      ProfileValidation.mapping("values", defaults, errors);
    }
    byte[] content = null;
    if (file == null) {
      errors.add(new FieldError("file", "is required"));
    } else if (file.size() > MAX_PACK_BYTES) {
      errors.add(
          new FieldError("file", "has " + file.size() + " bytes; the limit is " + MAX_PACK_BYTES));
    } else {
      try {
        content = Files.readAllBytes(file.uploadedFile());
      } catch (IOException e) {
        errors.add(new FieldError("file", "could not be read: " + e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    caller.caller().require(inProject, Role.ADMIN, "project " + inProject);
    errors.addAll(verifier.verify(packKind, content));
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    String digest = "sha256:" + sha256(content);
    byte[] bytes = content;
    var cmd =
        new UploadPackDecider.UploadPack(
            name, version, packKind, digest, bytes.length, defaults, inProject);
    String aggregate = PackId.of(name, version).value();
    List<EventEnvelope> appended =
        store.inTransaction(
            c -> {
              List<EventEnvelope> history = store.load(c, aggregate);
              Optional<ProfileEvent.PackUploaded> earlier =
                  history.stream()
                      .map(EventEnvelope::event)
                      .filter(ProfileEvent.PackUploaded.class::isInstance)
                      .map(ProfileEvent.PackUploaded.class::cast)
                      .findFirst();
              List<ProfileEvent> events = UploadPackDecider.decide(cmd, earlier);
              if (!events.isEmpty()) {
                registry.storeBlob(c, digest, bytes);
              }
              List<EventEnvelope> out =
                  store.append(c, aggregate, history.size(), events, caller.metadata(inProject));
              registry.apply(c, out);
              return out;
            });
    Map<String, Object> answer = Map.of("name", name, "version", version, "digest", digest);
    return (appended.isEmpty()
            ? Response.ok(answer)
            : Response.created(URI.create("/api/v1/packs/" + name + "/" + version)).entity(answer))
        .build();
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
