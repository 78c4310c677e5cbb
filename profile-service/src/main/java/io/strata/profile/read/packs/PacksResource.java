package io.strata.profile.read.packs;

import io.strata.events.access.Role;
import io.strata.events.profile.PackKind;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/packs")
@Tag(name = "packs")
@Allow(Role.VIEWER)
public class PacksResource {
  private final EventStore store;
  private final PackRegistry registry;
  private final CallerContext caller;

  PacksResource(EventStore store, PackRegistry registry, CallerContext caller) {
    this.store = store;
    this.registry = registry;
    this.caller = caller;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "The packs of the registry the caller can see")
  public Map<String, List<PackRecord>> list(@QueryParam("name") String name) {
    Caller who = caller.caller();
    return Map.of(
        "items",
        store.inTransaction(
            c -> registry.list(c, name, who.seesAllProjects() ? null : who.projects())));
  }

  @GET
  @Path("/{name}/{version}")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "One pack: kind, digest, size, default values")
  public Response get(@PathParam("name") String name, @PathParam("version") String version) {
    PackRecord p = find(name, version);
    return Response.ok(p).tag(p.digest()).build();
  }

  @GET
  @Path("/{name}/{version}/content")
  @Produces({"application/gzip", "application/yaml"})
  @Operation(summary = "Download a pack's content, exactly as uploaded (its digest is the ETag)")
  public Response content(@PathParam("name") String name, @PathParam("version") String version) {
    PackRecord p = find(name, version);
    byte[] bytes =
        store
            .inTransaction(c -> registry.content(c, p.digest()))
            .orElseThrow(
                () -> ProblemException.notFound("content of pack " + name + " " + version));
    boolean chart = p.kind() == PackKind.HELM;
    return Response.ok(bytes)
        .type(chart ? "application/gzip" : "application/yaml")
        .tag(p.digest())
        .header(
            "Content-Disposition",
            "attachment; filename=\"" + name + "-" + version + (chart ? ".tgz" : ".yaml") + "\"")
        .build();
  }

  private PackRecord find(String name, String version) {
    return store
        .inTransaction(c -> registry.find(c, name, version))
        .filter(p -> caller.caller().canSee(p.project()))
        .orElseThrow(() -> ProblemException.notFound("pack " + name + " " + version));
  }
}
