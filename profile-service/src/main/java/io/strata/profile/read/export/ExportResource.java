package io.strata.profile.read.export;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.events.EventJson;
import io.strata.events.access.Role;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import io.strata.profile.portable.ProfileExport;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.read.catalog.ProfileView;
import io.strata.profile.read.catalog.VersionView;
import io.strata.profile.read.packs.PackRecord;
import io.strata.profile.read.packs.PackRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles/{id}/versions/{version}/export")
@Tag(name = "profiles")
@Allow(Role.VIEWER)
public class ExportResource {
  private final EventStore store;
  private final ProfileCatalog catalog;
  private final PackRegistry packs;
  private final CallerContext caller;

  ExportResource(
      EventStore store, ProfileCatalog catalog, PackRegistry packs, CallerContext caller) {
    this.store = store;
    this.catalog = catalog;
    this.packs = packs;
    this.caller = caller;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "A portable document of the version's newest revision; embedPacks=true includes pack content")
  public ProfileExport export(
      @PathParam("id") String id,
      @PathParam("version") String version,
      @QueryParam("embedPacks") boolean embedPacks) {
    return store.inTransaction(
        c -> {
          ProfileView profile =
              catalog
                  .find(c, id)
                  .filter(p -> caller.caller().canSee(p.project()))
                  .orElseThrow(() -> ProblemException.notFound("profile " + id));
          VersionView v =
              catalog
                  .version(c, id, version, Optional.empty())
                  .orElseThrow(
                      () -> ProblemException.notFound("version " + version + " of profile " + id));
          List<Layer> layers =
              EventJson.mapper().convertValue(v.layers(), new TypeReference<List<Layer>>() {});
          List<Variable> variables =
              EventJson.mapper()
                  .convertValue(v.variables(), new TypeReference<List<Variable>>() {});
          Set<String> needed = new LinkedHashSet<>();
          for (Layer l : layers) {
            switch (l) {
              case Layer.HelmLayer h when h.chart().fromRegistry() ->
                  needed.add(h.chart().pack() + "\n" + h.chart().version());
              case Layer.PackLayer p -> needed.add(p.pack().name() + "\n" + p.pack().version());
              default -> {}
            }
          }
          List<ProfileExport.ExportedPack> exported = new ArrayList<>();
          for (String key : needed) {
            String[] nv = key.split("\n");
            Optional<PackRecord> pack = packs.find(c, nv[0], nv[1]);
            if (pack.isEmpty()) {
              continue;
            }
            PackRecord p = pack.get();
            String content =
                embedPacks
                    ? packs
                        .content(c, p.digest())
                        .map(b -> Base64.getEncoder().encodeToString(b))
                        .orElse("")
                    : "";
            exported.add(
                new ProfileExport.ExportedPack(
                    p.name(), p.version(), p.kind(), p.digest(), p.defaultValues(), content));
          }
          return new ProfileExport(
              ProfileExport.FORMAT,
              Instant.now(),
              new ProfileExport.ExportedProfile(
                  profile.name(), profile.type(), profile.description(), profile.tags()),
              v.version(),
              v.revision(),
              variables,
              layers,
              exported);
        });
  }
}
