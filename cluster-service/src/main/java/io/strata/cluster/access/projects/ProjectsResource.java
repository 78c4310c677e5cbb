package io.strata.cluster.access.projects;

import io.strata.events.AccessEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Names;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Projects: every profile, pack and cluster belongs to one. {@code default} always exists and is
 * shared; a shared project's profiles may be attached by clusters of any project.
 */
@Path("/api/v1/projects")
@Tag(name = "access")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectsResource {
  private final EventStore store;
  private final AccessRegistry access;
  private final CallerContext caller;

  ProjectsResource(EventStore store, AccessRegistry access, CallerContext caller) {
    this.store = store;
    this.access = access;
    this.caller = caller;
  }

  public record CreateProject(String name, boolean shared) {}

  public record ProjectView(String name, boolean shared) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(responseCode = "201", description = "created")
  @Operation(summary = "Create a project (admin of all projects)")
  public Response create(CreateProject body) {
    if (body == null) {
      throw new ProblemException(400, "Bad Request", "a JSON body is required");
    }
    List<FieldError> errors = new ArrayList<>();
    Names.check("name", body.name(), errors);
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    Caller who = caller.caller();
    if (!who.holds(Caller.ALL_PROJECTS, Role.ADMIN)) {
      throw new ProblemException(
          403, "Forbidden", "creating projects needs admin in all projects (*)");
    }
    if (access.projectExists(body.name())) {
      throw ProblemException.conflict("project '" + body.name() + "' exists");
    }
    String aggregate = "project:" + body.name();
    List<EventEnvelope> appended =
        store.inTransaction(
            c -> {
              List<EventEnvelope> history = store.load(c, aggregate);
              if (!history.isEmpty()) {
                throw ProblemException.conflict("project '" + body.name() + "' exists");
              }
              return store.append(
                  c,
                  aggregate,
                  0,
                  List.of(new AccessEvent.ProjectCreated(body.name(), body.shared())),
                  caller.metadata(body.name()));
            });
    // after the commit: a rolled-back project must not reach the registry
    access.applyWritten(appended);
    return Response.created(URI.create("/api/v1/projects/" + body.name()))
        .entity(new ProjectView(body.name(), body.shared()))
        .build();
  }

  @GET
  @Allow(Role.VIEWER)
  @Operation(summary = "The projects the caller can see")
  public Map<String, List<ProjectView>> list() {
    Caller who = caller.caller();
    return Map.of(
        "items",
        access.projectNames().stream()
            .filter(who::canSee)
            .map(p -> new ProjectView(p, access.projectShared(p)))
            .toList());
  }
}
