package io.strata.cluster.registry;

import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.ClusterCommand.ProfileRequest;
import io.strata.cluster.domain.Selector;
import io.strata.cluster.domain.VariableCheck;
import io.strata.events.access.Role;
import io.strata.events.cluster.DriftPolicy;
import io.strata.events.cluster.SealedValues;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Page;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.http.QueryParams;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Allow;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/clusters")
@Tag(name = "clusters")
public class ClustersResource {
  private static final Set<String> PHASES =
      Set.of("Pending", "Reconciling", "Converged", "Failed", "Drifted");

  private final ClusterCommands commands;
  private final ClusterQueries queries;
  private final AccessRegistry access;
  private final CallerContext caller;
  private final EventStore store;
  private final Registrations registrations;
  private final io.strata.kit.catalog.KnownProfiles profiles;

  ClustersResource(
      ClusterCommands commands,
      ClusterQueries queries,
      AccessRegistry access,
      CallerContext caller,
      EventStore store,
      Registrations registrations,
      io.strata.kit.catalog.KnownProfiles profiles) {
    this.registrations = registrations;
    this.profiles = profiles;
    this.commands = commands;
    this.queries = queries;
    this.access = access;
    this.caller = caller;
    this.store = store;
  }

  /**
   * {@code kind} is {@code simulated} or {@code kubernetes} (with its kubeconfig); {@code
   * driftPolicy} is {@code correct} (default) or {@code report}.
   */
  public record TargetRequest(String kind, String kubeconfig, String driftPolicy) {}

  /** Parses a drift policy; absent means {@code correct}. */
  public static DriftPolicy driftPolicy(String field, String value, List<FieldError> errors) {
    if (value == null) {
      return DriftPolicy.CORRECT;
    }
    return switch (value) {
      case "correct" -> DriftPolicy.CORRECT;
      case "report" -> DriftPolicy.REPORT;
      default -> {
        errors.add(new FieldError(field, "must be correct or report"));
        yield DriftPolicy.CORRECT;
      }
    };
  }

  public record ProfileRef(String profileId, String version, Integer revision) {
    ProfileRequest request() {
      return new ProfileRequest(profileId, version, Optional.ofNullable(revision));
    }
  }

  public record RegisterRequest(
      String name,
      String project,
      Map<String, String> labels,
      TargetRequest target,
      List<ProfileRef> profiles,
      Map<String, String> variables) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(responseCode = "201", description = "registered at generation 1")
  @Operation(summary = "Register a cluster with its profiles and variables (generation 1)")
  public Response register(RegisterRequest body) {
    List<FieldError> errors = new ArrayList<>();
    ClusterCommands.Registration registration = registrations.prepare(body, "", errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    ClusterCommands.Registered registered = commands.register(registration);
    String id = registration.command().id().value();
    return Response.created(URI.create("/api/v1/clusters/" + id))
        .tag(String.valueOf(registered.outcome().state().generation()))
        .entity(registered.view())
        .build();
  }

  public static List<ProfileRequest> profiles(List<ProfileRef> refs) {
    return refs == null
        ? List.of()
        : refs.stream()
            .map(r -> r == null ? new ProfileRef(null, null, null) : r)
            .map(ProfileRef::request)
            .toList();
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(
      summary =
          "List clusters: ?selector=env%3Dprod, ?phase=Failed, ?project=, ?pendingUpdates=true,"
              + " cursor pagination")
  public Page<ClusterView> list(
      @QueryParam("selector") String selector,
      @QueryParam("phase") String phase,
      @QueryParam("project") String project,
      @QueryParam("pendingUpdates") Boolean pendingUpdates,
      @QueryParam("after") String after,
      @QueryParam("limit") String limit) {
    phase = phase == null || phase.isBlank() ? null : phase;
    Selector parsed;
    try {
      parsed = Selector.parse(selector);
    } catch (Selector.Unparseable e) {
      throw new ProblemException(
          400,
          "Bad Request",
          "selector: " + e.getMessage(),
          List.of(new FieldError("selector", e.getMessage())));
    }
    if (phase != null && !PHASES.contains(phase)) {
      throw new ProblemException(
          400,
          "Bad Request",
          "phase must be one of " + String.join(", ", PHASES.stream().sorted().toList()));
    }
    return queries.list(
        caller.caller(),
        new ClusterQueries.Filter(
            parsed,
            Optional.ofNullable(phase),
            Optional.ofNullable(project),
            Boolean.TRUE.equals(pendingUpdates),
            Optional.ofNullable(Page.decode(after)),
            Page.limit(QueryParams.integer("limit", limit))));
  }

  @GET
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "A cluster: spec, status, pending updates, available versions, conflicts")
  public Response get(@PathParam("id") String id) {
    ClusterView v =
        queries
            .get(caller.caller(), id)
            .orElseThrow(() -> ProblemException.notFound("cluster " + id));
    return Response.ok(v).tag(String.valueOf(v.generation())).build();
  }

  @DELETE
  @Path("/{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(
      responseCode = "202",
      description = "accepted: the cluster is deregistered and pruned in the background")
  @Operation(
      summary =
          "Deregister a cluster; the reconciler prunes what Strata applied unless ?prune=false")
  public Response deregister(@PathParam("id") String id, @QueryParam("prune") Boolean prune) {
    commands.execute(
        id,
        Role.ADMIN,
        ClusterCommand.Expecting.any(),
        new ClusterCommand.Deregister(!Boolean.FALSE.equals(prune)));
    return Response.accepted(Map.of("id", id, "prune", !Boolean.FALSE.equals(prune))).build();
  }

  /** One generation of a cluster's spec. */
  public record GenerationView(
      long generation,
      String reason,
      String actor,
      Instant at,
      Long restoredFrom,
      boolean converged,
      ClusterView.Spec spec) {}

  @GET
  @Path("/{id}/generations")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "Every generation of the cluster's spec with its reason, actor and time")
  public Map<String, List<GenerationView>> generations(@PathParam("id") String id) {
    return Map.of(
        "items",
        store.inTransaction(
            c -> {
              queries
                  .state(c, caller.caller(), id)
                  .orElseThrow(() -> ProblemException.notFound("cluster " + id));
              var catalog = profiles.catalog(c);
              List<GenerationView> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT generation, reason, actor, at, restored_from, converged, spec FROM"
                          + " cluster_generations WHERE cluster_id = ? ORDER BY generation")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    var spec =
                        io.strata.events.EventJson.read(
                            rs.getString("spec"), io.strata.events.cluster.ClusterSpec.class);
                    Long restored = rs.getObject("restored_from", Long.class);
                    out.add(
                        new GenerationView(
                            rs.getLong("generation"),
                            rs.getString("reason"),
                            rs.getString("actor"),
                            rs.getTimestamp("at").toInstant(),
                            restored,
                            rs.getBoolean("converged"),
                            new ClusterView.Spec(
                                spec.generation(),
                                spec.profiles(),
                                SealedValues.masked(
                                    spec.variables(),
                                    VariableCheck.declared(spec.profiles(), catalog)),
                                spec.overrides().stream().map(ClusterQueries::override).toList())));
                  }
                }
              }
              return out;
            }));
  }
}
