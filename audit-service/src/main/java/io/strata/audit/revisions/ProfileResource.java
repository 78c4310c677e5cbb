package io.strata.audit.revisions;

import io.strata.audit.http.TimeParams;
import io.strata.events.EventJson;
import io.strata.events.Semver;
import io.strata.events.access.Role;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit/profiles/{id}")
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
@Allow(Role.VIEWER)
public class ProfileResource {
  private static final Pattern REF = Pattern.compile("(.+)@(\\d{1,9})");
  private final EventStore store;
  private final CallerContext caller;

  ProfileResource(EventStore store, CallerContext caller) {
    this.store = store;
    this.caller = caller;
  }

  public record Revisions(
      String profileId, String name, String version, List<RevisionViews.Revision> items) {}

  @GET
  @Path("/versions/{version}/revisions")
  @Operation(summary = "Every revision of a profile version with its whole content, oldest first")
  public Revisions revisions(@PathParam("id") String id, @PathParam("version") String version) {
    RevisionViews.Profile p = visible(id);
    List<RevisionViews.Revision> revs =
        store.inTransaction(c -> RevisionViews.revisions(c, id, version));
    if (revs.isEmpty()) {
      throw ProblemException.notFound("version " + version + " of profile " + id);
    }
    return new Revisions(id, p.name(), version, revs);
  }

  @GET
  @Path("/diff")
  @Operation(
      summary =
          "Layer-by-layer diff between two revisions (from and to as <version>@<revision>):"
              + " values as YAML paths, manifests as objects")
  public LayerDiff.Diff diff(
      @PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
    Ref a = ref("from", from);
    Ref b = ref("to", to);
    visible(id);
    return diff(store, id, a, b);
  }

  /** A {@code version@revision} reference. */
  public record Ref(String version, int revision) {
    @Override
    public String toString() {
      return version + "@" + revision;
    }
  }

  public static Ref ref(String field, String value) {
    if (value == null || value.isBlank()) {
      throw TimeParams.badRequest(field, "is required as <version>@<revision>, e.g. 1.0.0@2");
    }
    Matcher m = REF.matcher(value.strip());
    if (!m.matches() || !Semver.isValid(m.group(1))) {
      throw TimeParams.badRequest(field, "must be <version>@<revision>, e.g. 1.0.0@2");
    }
    return new Ref(m.group(1), Integer.parseInt(m.group(2)));
  }

  public static LayerDiff.Diff diff(EventStore store, String id, Ref a, Ref b) {
    RevisionViews.Revision ra = find(store, id, a);
    RevisionViews.Revision rb = find(store, id, b);
    return LayerDiff.between(
        a.toString(),
        Arrays.asList(EventJson.mapper().convertValue(ra.variables(), Variable[].class)),
        Arrays.asList(EventJson.mapper().convertValue(ra.layers(), Layer[].class)),
        b.toString(),
        Arrays.asList(EventJson.mapper().convertValue(rb.variables(), Variable[].class)),
        Arrays.asList(EventJson.mapper().convertValue(rb.layers(), Layer[].class)));
  }

  private static RevisionViews.Revision find(EventStore store, String id, Ref r) {
    return store
        .inTransaction(c -> RevisionViews.revision(c, id, r.version(), r.revision()))
        .orElseThrow(() -> ProblemException.notFound("revision " + r + " of profile " + id));
  }

  private RevisionViews.Profile visible(String id) {
    return store
        .inTransaction(c -> RevisionViews.profile(c, id))
        .filter(p -> caller.caller().canSee(p.project()))
        .orElseThrow(() -> ProblemException.notFound("profile " + id));
  }
}
