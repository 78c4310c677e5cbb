package io.strata.profile.read.catalog;

import io.strata.events.access.Role;
import io.strata.events.profile.ProfileType;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Page;
import io.strata.kit.http.Problem;
import io.strata.kit.http.ProblemException;
import io.strata.kit.http.QueryParams;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/profiles")
@Tag(name = "profiles")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ProfileCatalogResource {
  private final EventStore store;
  private final ProfileCatalog catalog;
  private final CallerContext caller;

  ProfileCatalogResource(EventStore store, ProfileCatalog catalog, CallerContext caller) {
    this.store = store;
    this.catalog = catalog;
    this.caller = caller;
  }

  @GET
  @Operation(summary = "List profiles, by name, ordered by name, with cursor pagination")
  public Page<ProfileView> list(
      @QueryParam("name") String name,
      @QueryParam("type") String type,
      @QueryParam("project") String project,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    int size = Page.limit(QueryParams.integer("limit", limit));
    String cursor = Page.decode(after);
    if (type != null
        && !type.isEmpty()
        && Arrays.stream(ProfileType.values()).noneMatch(t -> t.label().equals(type))) {
      String message = "must be one of infra, addon, full";
      throw new ProblemException(
          400,
          "Bad Request",
          "type " + message + ": " + type,
          List.of(new Problem.FieldError("type", message)));
    }
    Caller who = caller.caller();
    if (project != null && !project.isEmpty() && !who.canSee(project)) {
      return new Page<>(List.of(), null);
    }
    Set<String> visible = who.seesAllProjects() ? null : who.projects();
    List<ProfileView> rows =
        store.inTransaction(c -> catalog.list(c, name, type, project, visible, cursor, size + 1));
    return Page.of(rows, size, ProfileView::name);
  }

  @GET
  @Path("/{id}/versions/{version}")
  @Operation(summary = "The newest revision of a version, whole (ETag: \"<revision>\")")
  public Response version(@PathParam("id") String id, @PathParam("version") String version) {
    return revision(id, version, java.util.Optional.empty());
  }

  @GET
  @Path("/{id}/versions/{version}/revisions/{n}")
  @Operation(summary = "One revision of a version, any age")
  public Response revision(
      @PathParam("id") String id, @PathParam("version") String version, @PathParam("n") String n) {
    // a revision is a whole number from 1; anything else names no revision
    if (!n.matches("[1-9][0-9]{0,8}")) {
      throw ProblemException.notFound("revision " + n + " of version " + version);
    }
    return revision(id, version, java.util.Optional.of(Integer.parseInt(n)));
  }

  private Response revision(String id, String version, java.util.Optional<Integer> n) {
    VersionView view =
        store
            .inTransaction(
                c -> {
                  if (catalog
                      .find(c, id)
                      .filter(p -> caller.caller().canSee(p.project()))
                      .isEmpty()) {
                    return java.util.Optional.<VersionView>empty();
                  }
                  return catalog.version(c, id, version, n);
                })
            .orElseThrow(
                () ->
                    ProblemException.notFound(
                        "version "
                            + version
                            + n.map(r -> " revision " + r).orElse("")
                            + " of profile "
                            + id));
    return Response.ok(view).tag(String.valueOf(view.revision())).build();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A profile with its versions")
  public Response get(@PathParam("id") String id) {
    ProfileView view =
        store
            .inTransaction(c -> catalog.find(c, id))
            .filter(v -> caller.caller().canSee(v.project()))
            .orElseThrow(() -> ProblemException.notFound("profile " + id));
    return Response.ok(view).tag(String.valueOf(view.seq())).build();
  }
}
