package io.strata.cluster.access.apikeys;

import io.strata.events.AccessEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.Names;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.AccessRegistry;
import io.strata.kit.security.Allow;
import io.strata.kit.security.ApiKeys;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API keys for automation. The key is shown once, in the answer to its creation; only a salted hash
 * is stored and announced. A key's role and projects never exceed its creator's.
 */
@Path("/api/v1/api-keys")
@Tag(name = "access")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeysResource {
  private final EventStore store;
  private final AccessRegistry access;
  private final CallerContext caller;

  ApiKeysResource(EventStore store, AccessRegistry access, CallerContext caller) {
    this.store = store;
    this.access = access;
    this.caller = caller;
  }

  public record CreateApiKeyRequest(
      String name, String role, List<String> projects, String expiresAt) {}

  public record CreatedApiKey(
      String name, String key, Role role, List<String> projects, Optional<Instant> expiresAt) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @io.strata.kit.http.IdempotencyKeys.SecretAnswer
  @APIResponse(responseCode = "201", description = "created; the key is shown in this answer only")
  @Operation(summary = "Create an API key; the key is in this answer only")
  public Response create(CreateApiKeyRequest body) {
    if (body == null) {
      throw new ProblemException(400, "Bad Request", "a JSON body is required");
    }
    List<FieldError> errors = new ArrayList<>();
    Names.check("name", body.name(), errors);
    Optional<Role> role = Optional.ofNullable(body.role()).flatMap(Role::fromLabel);
    if (role.isEmpty()) {
      errors.add(
          new FieldError(
              "role", "unknown role '" + body.role() + "': one of viewer, operator, admin"));
    }
    List<String> projects = body.projects() == null ? List.of() : body.projects();
    if (projects.isEmpty()) {
      errors.add(new FieldError("projects", "at least one project (or \"*\" for all)"));
    }
    for (int i = 0; i < projects.size(); i++) {
      String p = projects.get(i);
      if (!Caller.ALL_PROJECTS.equals(p)) {
        List<FieldError> nameErrors = new ArrayList<>();
        Names.check("projects[" + i + "]", p, nameErrors);
        if (nameErrors.isEmpty() && !access.projectExists(p)) {
          nameErrors.add(new FieldError("projects[" + i + "]", "unknown project '" + p + "'"));
        }
        errors.addAll(nameErrors);
      }
    }
    Optional<Instant> expiresAt = Optional.empty();
    if (body.expiresAt() != null && !body.expiresAt().isBlank()) {
      try {
        expiresAt = Optional.of(Instant.parse(body.expiresAt()));
        if (!expiresAt.get().isAfter(Instant.now())) {
          errors.add(new FieldError("expiresAt", "is in the past"));
        }
      } catch (DateTimeParseException e) {
        errors.add(
            new FieldError(
                "expiresAt", "must be an RFC 3339 UTC time such as 2027-01-01T00:00:00Z"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    Caller who = caller.caller();
    for (String p : projects) {
      if (!who.holds(p, Role.ADMIN)) {
        throw new ProblemException(
            403,
            "Forbidden",
            who.name() + " is not admin in project " + p + " and cannot grant a role there");
      }
    }
    ApiKeys.Generated key = ApiKeys.generate();
    var cmd = new ApiKeyDecider.CreateApiKey(body.name(), role.get(), projects, expiresAt, key);
    handle(body.name(), state -> ApiKeyDecider.decide(cmd, state));
    return Response.created(URI.create("/api/v1/api-keys/" + body.name()))
        .entity(new CreatedApiKey(body.name(), key.key(), role.get(), projects, expiresAt))
        .build();
  }

  @GET
  @Allow(Role.ADMIN)
  @Operation(summary = "API keys the caller administers (never their secrets)")
  public Map<String, List<AccessRegistry.KeyView>> list() {
    Caller who = caller.caller();
    return Map.of(
        "items",
        access.keys().stream()
            .filter(k -> k.projects().stream().allMatch(p -> who.holds(p, Role.ADMIN)))
            .toList());
  }

  @DELETE
  @Path("/{name}")
  @Allow(Role.ADMIN)
  @Operation(summary = "Revoke an API key; every service refuses it as soon as it hears")
  public Response revoke(@PathParam("name") String name) {
    Caller who = caller.caller();
    AccessRegistry.KeyView key =
        access
            .key(name)
            .filter(k -> !k.revoked())
            .filter(k -> k.projects().stream().allMatch(p -> who.holds(p, Role.ADMIN)))
            .orElseThrow(() -> ProblemException.notFound("API key " + name));
    handle(key.name(), state -> ApiKeyDecider.decide(new ApiKeyDecider.RevokeApiKey(name), state));
    return Response.noContent().build();
  }

  /** Load, decide and append in one transaction; then apply to this process's registry. */
  private void handle(String name, Function<ApiKey, List<AccessEvent>> decide) {
    String aggregate = "apikey:" + name;
    try {
      List<EventEnvelope> appended =
          store.inTransaction(
              c -> {
                List<EventEnvelope> history = store.load(c, aggregate);
                ApiKey state =
                    ApiKey.fold(history.stream().map(e -> (AccessEvent) e.event()).toList());
                return store.append(
                    c, aggregate, history.size(), decide.apply(state), caller.metadata("default"));
              });
      // after the commit: a rolled-back change must not reach the registry
      access.applyWritten(appended);
    } catch (ApiKeyDecider.Rejected e) {
      throw new ProblemException(
          e.status, e.status == 404 ? "Not Found" : "Conflict", e.getMessage());
    }
  }
}
