package io.strata.profile.write.importprofile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.events.EventJson;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.http.ProblemMappers;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Allow;
import io.strata.profile.portable.PaletteMapper;
import io.strata.profile.portable.ProfileExport;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.read.catalog.ProfileView;
import io.strata.profile.read.packs.PackRecord;
import io.strata.profile.read.packs.PackRegistry;
import io.strata.profile.write.PackPins;
import io.strata.profile.write.createprofile.CreateProfileRequest;
import io.strata.profile.write.createprofile.ProfileCreation;
import io.strata.profile.write.createversion.VersionCreation;
import io.strata.profile.write.uploadpack.PackUploads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Imports our export format (packs embedded or already in the registry) or a Palette cluster
 * profile export, as a new profile or as a version of an existing one.
 */
@Path("/api/v1/profiles/import")
@Tag(name = "profiles")
public class ImportProfileResource {
  private final EventStore store;
  private final ProfileCatalog catalog;
  private final PackRegistry packs;
  private final PackUploads uploads;
  private final ProfileCreation profiles;
  private final VersionCreation versions;
  private final AccessRegistry access;
  private final PackPins pins;

  ImportProfileResource(
      EventStore store,
      ProfileCatalog catalog,
      PackRegistry packs,
      PackUploads uploads,
      ProfileCreation profiles,
      VersionCreation versions,
      AccessRegistry access,
      PackPins pins) {
    this.store = store;
    this.catalog = catalog;
    this.packs = packs;
    this.uploads = uploads;
    this.profiles = profiles;
    this.versions = versions;
    this.access = access;
    this.pins = pins;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(
      responseCode = "201",
      description = "imported; unmapped lists what could not be mapped")
  @Operation(
      summary =
          "Import a Strata export or a Palette cluster profile export; ?name= renames, ?asNewVersion= imports as another version")
  public Response importProfile(
      JsonNode doc,
      @QueryParam("name") String rename,
      @QueryParam("asNewVersion") String asNewVersion,
      @QueryParam("project") String project) {
    if (doc == null || !doc.isObject()) {
      throw new ProblemException(400, "Bad Request", "a JSON document is required");
    }
    Imported imported;
    if (ProfileExport.FORMAT.equals(doc.path("format").asText())) {
      imported = fromExport(doc, project);
    } else if (PaletteMapper.looksLikePalette(doc)) {
      PaletteMapper.Mapped m =
          PaletteMapper.map(
              doc, (n, v) -> store.inTransaction(c -> packs.find(c, n, v)).isPresent());
      if (m.layers().isEmpty()) {
        throw ProblemException.invalid(
            m.unmapped().stream()
                .map(u -> new FieldError("spec.template.packs[" + u.pack() + "]", u.reason()))
                .toList());
      }
      imported =
          new Imported(
              "palette",
              new CreateProfileRequest(
                  m.name(),
                  m.type(),
                  m.description(),
                  m.tags(),
                  project,
                  m.version(),
                  List.of(),
                  m.layers()),
              m.unmapped(),
              List.of());
    } else {
      throw ProblemException.invalid(
          List.of(
              new FieldError(
                  "format",
                  "not a Strata export (format "
                      + ProfileExport.FORMAT
                      + ") nor a Palette cluster profile export (metadata, spec.template)")));
    }
    CreateProfileRequest req = imported.request();
    String name = rename != null && !rename.isBlank() ? rename : req.name();
    String version = asNewVersion != null && !asNewVersion.isBlank() ? asNewVersion : req.version();
    CreateProfileRequest effective =
        new CreateProfileRequest(
            name,
            req.type(),
            req.description(),
            req.tags(),
            req.project(),
            version,
            req.variables(),
            req.layers());
    Optional<ProfileView> existing = store.inTransaction(c -> catalog.findByName(c, name));
    // everything that can refuse the import is checked before anything is written: the embedded
    // packs would otherwise stay in the registry after a refused profile
    List<FieldError> errors = new ArrayList<>(ProfileCreation.problems(effective, access));
    List<PackRecord> embedded =
        imported.packs().stream().map(PackUploads.VerifiedPack::asRegistered).toList();
    store.inTransaction(c -> pins.pin(c, req.layers(), errors, embedded));
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    if (existing.isPresent()
        && existing.get().versions().stream().anyMatch(v -> v.version().equals(version))) {
      throw ProblemException.conflict(
          "version "
              + version
              + " of profile '"
              + name
              + "' exists; import it with ?asNewVersion=");
    }
    imported.packs().forEach(uploads::store);
    ProfileView result;
    if (existing.isPresent()) {
      String existingId = existing.get().id();
      versions.create(
          existingId,
          new VersionCreation.CreateVersionRequest(version, null, req.variables(), req.layers()));
      result = store.inTransaction(c -> catalog.find(c, existingId)).orElseThrow();
    } else {
      result = profiles.create(effective);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", result.id());
    answer.put("name", result.name());
    answer.put("version", version);
    answer.put("source", imported.source());
    answer.put("unmapped", imported.unmapped());
    return Response.created(URI.create("/api/v1/profiles/" + result.id() + "/versions/" + version))
        .entity(answer)
        .build();
  }

  private record Imported(
      String source,
      CreateProfileRequest request,
      List<PaletteMapper.Unmapped> unmapped,
      List<PackUploads.VerifiedPack> packs) {}

  private Imported fromExport(JsonNode doc, String project) {
    ProfileExport export;
    try {
      // events' mapping, with one strictness of requests: an enum is its name, not a position
      export =
          EventJson.mapper()
              .readerFor(ProfileExport.class)
              .with(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
              .readValue(doc);
    } catch (JsonMappingException e) {
      String field = ProblemMappers.path(e);
      throw ProblemException.invalid(
          List.of(
              new FieldError(
                  field.isEmpty() ? "format" : field,
                  "not a valid "
                      + ProfileExport.FORMAT
                      + " document: "
                      + ProblemMappers.describe(e))));
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw ProblemException.invalid(
          List.of(new FieldError("format", "not a valid " + ProfileExport.FORMAT + " document")));
    }
    if (export.profile() == null) {
      throw ProblemException.invalid(List.of(new FieldError("profile", "is required")));
    }
    List<PackUploads.VerifiedPack> embedded = new ArrayList<>();
    List<FieldError> errors = new ArrayList<>();
    for (int i = 0; i < export.packs().size(); i++) {
      ProfileExport.ExportedPack p = export.packs().get(i);
      String at = "packs[" + i + "]";
      if (p.kind() == null || p.name() == null || p.version() == null || p.digest() == null) {
        errors.add(new FieldError(at, "every pack needs name, version, kind and digest"));
        continue;
      }
      if (p.content().isEmpty()) {
        continue; // must be in the registry already: pinning checks it with the right digest
      }
      byte[] content;
      try {
        content = Base64.getDecoder().decode(p.content());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(at + ".content", "is not base64"));
        continue;
      }
      if (!PackUploads.digestOf(content).equals(p.digest())) {
        errors.add(new FieldError(at + ".content", "does not match its digest " + p.digest()));
        continue;
      }
      try {
        embedded.add(
            uploads.verify(
                p.name(),
                p.version(),
                p.kind().name().toLowerCase(java.util.Locale.ROOT),
                content,
                p.defaultValues(),
                project,
                List.of()));
      } catch (ProblemException e) {
        e.errors().forEach(f -> errors.add(new FieldError(at + "." + f.field(), f.message())));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    ProfileExport.ExportedProfile pr = export.profile();
    return new Imported(
        "strata",
        new CreateProfileRequest(
            pr.name(),
            pr.type(),
            pr.description(),
            pr.tags(),
            project,
            export.version(),
            export.variables(),
            export.layers()),
        List.of(),
        embedded);
  }
}
