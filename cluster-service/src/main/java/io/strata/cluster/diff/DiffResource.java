package io.strata.cluster.diff;

import io.strata.cluster.domain.Attachments;
import io.strata.cluster.domain.ClusterCommand.ProfileRequest;
import io.strata.cluster.domain.ClusterDecider;
import io.strata.cluster.domain.ClusterDiff;
import io.strata.cluster.domain.ClusterState;
import io.strata.cluster.registry.ClusterQueries;
import io.strata.cluster.registry.ClusterRows;
import io.strata.events.access.Role;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/clusters/{id}/diff")
@Tag(name = "clusters")
public class DiffResource {
  private final EventStore store;
  private final ClusterQueries queries;
  private final ClusterRows rows;
  private final KnownProfiles profiles;
  private final CallerContext caller;

  DiffResource(
      EventStore store,
      ClusterQueries queries,
      ClusterRows rows,
      KnownProfiles profiles,
      CallerContext caller) {
    this.store = store;
    this.queries = queries;
    this.rows = rows;
    this.profiles = profiles;
    this.caller = caller;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(
      summary =
          "What would change: the current spec against a candidate — ?generation=N, or"
              + " ?profileId=&version=[&revision=], or (neither) the pending updates applied. Per"
              + " layer: base, overrides, effective, overriddenPaths, changes, conflicts")
  public Map<String, Object> diff(
      @PathParam("id") String id,
      @QueryParam("profileId") String profileId,
      @QueryParam("version") String version,
      @QueryParam("revision") String revisionText,
      @QueryParam("generation") String generationText) {
    Integer revision = io.strata.kit.http.QueryParams.integer("revision", revisionText);
    Integer gen = io.strata.kit.http.QueryParams.integer("generation", generationText);
    Long generation = gen == null ? null : gen.longValue();
    return store.inTransaction(
        c -> {
          ClusterState state =
              queries
                  .state(c, caller.caller(), id)
                  .orElseThrow(() -> ProblemException.notFound("cluster " + id));
          Catalog catalog = profiles.catalog(c);
          ClusterSpec current = state.spec();
          ClusterSpec candidate;
          String against;
          if (generation != null) {
            if (profileId != null || version != null) {
              throw new ProblemException(
                  400, "Bad Request", "give either generation or profileId and version, not both");
            }
            candidate =
                rows.generation(c, id, generation)
                    .orElseThrow(
                        () ->
                            ProblemException.invalid(
                                List.of(
                                    new FieldError(
                                        "generation", "cluster has no generation " + generation))));
            against = "generation " + generation;
          } else if (profileId != null || version != null) {
            if (profileId == null || version == null) {
              throw ProblemException.invalid(
                  List.of(
                      new FieldError(profileId == null ? "profileId" : "version", "is required")));
            }
            candidate = withProfile(state, catalog, profileId, version, revision);
            against =
                "profile " + profileId + " " + version + (revision == null ? "" : "#" + revision);
          } else {
            candidate = withPendingUpdates(current, catalog);
            against = "pending updates";
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("clusterId", id);
          out.put("against", against);
          out.put("diff", ClusterDiff.compute(current, candidate, catalog));
          return out;
        });
  }

  private static ClusterSpec withProfile(
      ClusterState state, Catalog catalog, String profile, String version, Integer revision) {
    ClusterSpec current = state.spec();
    Optional<Catalog.KnownProfile> known = catalog.profile(profile);
    List<ProfileRequest> requests = new ArrayList<>();
    boolean replaced = false;
    for (AttachedProfile a : current.profiles()) {
      if (known.isPresent() && a.profileId().equals(known.get().id())) {
        requests.add(
            new ProfileRequest(a.profileId().value(), version, Optional.ofNullable(revision)));
        replaced = true;
      } else {
        requests.add(
            new ProfileRequest(
                a.profileId().value(), a.version().toString(), Optional.of(a.revision())));
      }
    }
    if (!replaced) {
      requests.add(new ProfileRequest(profile, version, Optional.ofNullable(revision)));
    }
    List<FieldError> errors = new ArrayList<>();
    List<AttachedProfile> resolved =
        Attachments.resolve(requests, List.of(), state.project(), catalog, errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return new ClusterSpec(
        current.generation() + 1, resolved, current.variables(), current.overrides());
  }

  private static ClusterSpec withPendingUpdates(ClusterSpec current, Catalog catalog) {
    return new ClusterSpec(
        current.generation() + 1,
        ClusterDecider.updated(current.profiles(), ClusterDecider.pending(current, catalog)),
        current.variables(),
        current.overrides());
  }
}
