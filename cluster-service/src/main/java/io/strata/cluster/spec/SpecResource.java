package io.strata.cluster.spec;

import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.ClusterCommand.Expecting;
import io.strata.cluster.registry.ClusterCommands;
import io.strata.cluster.registry.ClustersResource.ProfileRef;
import io.strata.events.access.Role;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Every change to a cluster's spec: each answers with the new generation (or the current one when
 * nothing changed). {@code If-Match: "<generation>"} makes a change conditional (412 when stale).
 */
@Path("/api/v1/clusters/{id}")
@Tag(name = "clusters")
public class SpecResource {
  private final ClusterCommands commands;

  SpecResource(ClusterCommands commands) {
    this.commands = commands;
  }

  public record AttachRequest(List<ProfileRef> profiles, Map<String, String> variables) {}

  /** Optional: variables a newer revision needs. */
  public record ApplyRequest(Map<String, String> variables) {}

  public record VariablesRequest(Map<String, String> variables) {}

  public record PatchTarget(String kind, String name, String namespace) {}

  public record PatchRequest(PatchTarget target, Map<String, Object> patch) {}

  public record OverrideRequest(String values, List<PatchRequest> patches) {}

  public record RollbackRequest(Long toGeneration) {}

  public record DriftPolicyRequest(String policy) {}

  @PUT
  @Path("/drift-policy")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "How the reconciler treats drift on this cluster: correct (re-apply) or report only;"
              + " recorded, but not a spec generation")
  public Response driftPolicy(@PathParam("id") String id, DriftPolicyRequest body) {
    List<FieldError> errors = new java.util.ArrayList<>();
    if (body == null || body.policy() == null) {
      errors.add(new FieldError("policy", "is required"));
    }
    io.strata.events.cluster.DriftPolicy policy =
        io.strata.cluster.registry.ClustersResource.driftPolicy(
            "policy", body == null ? null : body.policy(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    return answer(
        id,
        commands.executeAndShow(
            id,
            Role.OPERATOR,
            ClusterCommand.Expecting.any(),
            new ClusterCommand.SetDriftPolicy(policy)));
  }

  @PUT
  @Path("/profiles")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Attach, upgrade or downgrade profiles (the whole list); an attached version keeps its"
              + " revision")
  public Response attach(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @QueryParam("acceptConflicts") Boolean acceptConflicts,
      AttachRequest body) {
    if (body == null || body.profiles() == null) {
      throw ProblemException.invalid(List.of(new FieldError("profiles", "is required")));
    }
    return answer(
        id,
        commands.executeAndShow(
            id,
            Role.OPERATOR,
            expecting(ifMatch),
            new ClusterCommand.AttachProfiles(
                io.strata.cluster.registry.ClustersResource.profiles(body.profiles()),
                variables(body.variables()),
                Boolean.TRUE.equals(acceptConflicts),
                false)));
  }

  @PUT
  @Path("/variables")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(summary = "Set variable values (a null value removes one); sensitive ones are sealed")
  public Response variables(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, VariablesRequest body) {
    if (body == null || body.variables() == null) {
      throw ProblemException.invalid(List.of(new FieldError("variables", "is required")));
    }
    return answer(
        id,
        commands.executeAndShow(
            id,
            Role.OPERATOR,
            expecting(ifMatch),
            new ClusterCommand.SetVariables(variables(body.variables()))));
  }

  @PUT
  @Path("/overrides/{profileId}/{layer}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Override one layer on this cluster: values (YAML, deep-merged) and/or merge patches of"
              + " its objects; kept across upgrades and rollbacks")
  public Response setOverride(
      @PathParam("id") String id,
      @PathParam("profileId") String profileId,
      @PathParam("layer") String layer,
      @HeaderParam("If-Match") String ifMatch,
      OverrideRequest body) {
    if (body == null) {
      throw ProblemException.invalid(List.of(new FieldError("values", "is required")));
    }
    List<ClusterCommand.Patch> patches = new ArrayList<>();
    List<PatchRequest> requested = body.patches() == null ? List.of() : body.patches();
    for (PatchRequest p : requested) {
      PatchTarget t =
          p == null || p.target() == null ? new PatchTarget(null, null, null) : p.target();
      patches.add(
          new ClusterCommand.Patch(
              t.kind(), t.name(), t.namespace(), p == null ? Map.of() : p.patch()));
    }
    return answer(
        id,
        commands.executeAndShow(
            id,
            Role.OPERATOR,
            expecting(ifMatch),
            new ClusterCommand.SetOverride(profileId, layer, body.values(), patches)));
  }

  @DELETE
  @Path("/overrides/{profileId}/{layer}")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(summary = "Drop this cluster's override of one layer")
  public Response removeOverride(
      @PathParam("id") String id,
      @PathParam("profileId") String profileId,
      @PathParam("layer") String layer,
      @HeaderParam("If-Match") String ifMatch) {
    return answer(
        id,
        commands.executeAndShow(
            id,
            Role.OPERATOR,
            expecting(ifMatch),
            new ClusterCommand.RemoveOverride(profileId, layer)));
  }

  @POST
  @Path("/pending-updates/apply")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Take the newest revisions of the attached versions (409 when nothing is pending, or when"
              + " overrides conflict and acceptConflicts is not true)")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response applyPending(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      @QueryParam("acceptConflicts") Boolean acceptConflicts,
      ApplyRequest body) {
    return answer(
        id,
        commands.executeAndShow(
            id,
            Role.OPERATOR,
            expecting(ifMatch),
            new ClusterCommand.ApplyPendingUpdates(
                Boolean.TRUE.equals(acceptConflicts),
                variables(body == null ? null : body.variables()))));
  }

  @POST
  @Path("/rollback")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Roll back in one action: a new generation equal to the last one that converged before"
              + " the current one (the previous one if none has), or toGeneration; its overrides"
              + " included")
  public Response rollback(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, RollbackRequest body) {
    OptionalLong to =
        body == null || body.toGeneration() == null
            ? OptionalLong.empty()
            : OptionalLong.of(body.toGeneration());
    return answer(
        id,
        commands.executeAndShow(
            id, Role.OPERATOR, expecting(ifMatch), new ClusterCommand.Rollback(to)));
  }

  private Response answer(String id, ClusterCommands.Answered answered) {
    Map<String, Object> body = new LinkedHashMap<>();
    long generation = answered.outcome().state().generation();
    body.put("id", id);
    body.put("generation", generation);
    body.put("changed", !answered.outcome().events().isEmpty());
    body.put("cluster", answered.view());
    return Response.ok(body).tag(String.valueOf(generation)).build();
  }

  static Map<String, String> variables(Map<String, String> given) {
    return given == null ? Map.of() : new LinkedHashMap<>(given);
  }

  /** {@code "4"}, {@code W/"4"} or {@code 4}; absent means unconditional, garbage is 400. */
  static Expecting expecting(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return Expecting.any();
    }
    String v = ifMatch.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    try {
      return new Expecting(OptionalLong.of(Long.parseLong(v.replace("\"", ""))));
    } catch (NumberFormatException e) {
      throw new ProblemException(
          400, "Bad Request", "If-Match must be a generation ETag such as \"4\"");
    }
  }
}
