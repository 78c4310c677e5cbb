package io.strata.cluster.bulk;

import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.ClusterRejected;
import io.strata.cluster.domain.ClusterState;
import io.strata.cluster.domain.Selector;
import io.strata.cluster.registry.ClusterCommands;
import io.strata.cluster.registry.ClusterRows;
import io.strata.cluster.registry.ClustersResource;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Allow;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Bulk attach and bulk rollback by label selector. The whole request is checked first — every
 * matching cluster must accept the change, or nothing is done and the 422 names each refusal — then
 * stored and answered 202; the generations are appended in the background.
 */
@Path("/api/v1/clusters/bulk")
@Tag(name = "clusters")
public class BulkResource {
  private final EventStore store;
  private final KnownProfiles profiles;
  private final BulkOperations operations;
  private final ClusterCommands commands;
  private final io.strata.cluster.registry.Registrations check;
  private final ClusterRows rows;
  private final CallerContext caller;

  BulkResource(
      EventStore store,
      KnownProfiles profiles,
      BulkOperations operations,
      ClusterCommands commands,
      io.strata.cluster.registry.Registrations check,
      ClusterRows rows,
      CallerContext caller) {
    this.check = check;
    this.rows = rows;
    this.store = store;
    this.commands = commands;
    this.profiles = profiles;
    this.operations = operations;
    this.caller = caller;
  }

  static final int MAX_BATCH = 1000;

  public record BulkRegisterRequest(List<ClustersResource.RegisterRequest> clusters) {}

  /** A cluster a batch registration created. */
  public record RegisteredCluster(String id, String name, String project, long generation) {}

  @POST
  @Path("/register")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.ADMIN)
  @APIResponse(responseCode = "201", description = "the clusters registered, all or none")
  @Operation(
      summary =
          "Register up to "
              + MAX_BATCH
              + " clusters in one transaction (a fleet import): all or none, every problem named"
              + " by its clusters[i] path")
  public Response registerAll(BulkRegisterRequest body) {
    if (body == null || body.clusters() == null || body.clusters().isEmpty()) {
      throw ProblemException.invalid(List.of(new FieldError("clusters", "is required")));
    }
    if (body.clusters().size() > MAX_BATCH) {
      throw ProblemException.invalid(
          List.of(new FieldError("clusters", "at most " + MAX_BATCH + " per request")));
    }
    List<FieldError> errors = new ArrayList<>();
    List<ClusterCommands.Registration> registrations = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < body.clusters().size(); i++) {
      ClustersResource.RegisterRequest r = body.clusters().get(i);
      String at = "clusters[" + i + "].";
      registrations.add(check.prepare(r, at, errors));
      if (r != null && !names.add(r.project() + "/" + r.name())) {
        errors.add(new FieldError(at + "name", "is registered twice in this request"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.invalid(errors);
    }
    List<RegisteredCluster> out =
        commands.registerAll(registrations).stream()
            .map(
                o ->
                    new RegisteredCluster(
                        o.state().id().value(),
                        o.state().name(),
                        o.state().project(),
                        o.state().generation()))
            .toList();
    return Response.status(201).entity(Map.of("clusters", out)).build();
  }

  /**
   * The listed profiles replace the attached ones of the same profile (an infra/full one the
   * attached infra/full one); other attached profiles stay. {@code variables} are set with them.
   */
  public record BulkAttachRequest(
      String selector,
      String project,
      List<ClustersResource.ProfileRef> profiles,
      Map<String, String> variables) {}

  /** {@code toGeneration} (optional) applies to every matched cluster. */
  public record BulkRollbackRequest(String selector, String project, Long toGeneration) {}

  /** A cluster an operation touches. */
  public record Touched(String id, String name, String project) {}

  @POST
  @Path("/profiles")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @Operation(
      summary =
          "Attach profiles to every cluster matching a label selector; 202 with the clusters it"
              + " touches")
  public Response attach(
      @QueryParam("acceptConflicts") Boolean acceptConflicts, BulkAttachRequest body) {
    List<FieldError> problems = new ArrayList<>();
    if (body == null || body.profiles() == null || body.profiles().isEmpty()) {
      problems.add(new FieldError("profiles", "is required: the profiles to attach or upgrade"));
    }
    selectorProblem(body == null ? null : body.selector()).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      throw ProblemException.invalid(problems);
    }
    var stored =
        new BulkOperations.StoredCommand(
            "attach",
            ClustersResource.profiles(body.profiles()),
            body.variables() == null ? Map.of() : body.variables(),
            Boolean.TRUE.equals(acceptConflicts),
            null);
    return accept(body.selector(), body.project(), stored);
  }

  @POST
  @Path("/rollback")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.OPERATOR)
  @APIResponse(responseCode = "202", description = "accepted: follow the Location for progress")
  @Operation(
      summary =
          "Roll back every cluster matching a label selector to its last converged generation"
              + " (or toGeneration); 202 with the clusters it touches")
  public Response rollback(BulkRollbackRequest body) {
    if (body == null) {
      throw ProblemException.invalid(List.of(new FieldError("selector", "is required")));
    }
    return accept(
        body.selector(),
        body.project(),
        new BulkOperations.StoredCommand(
            "rollback", List.of(), Map.of(), false, body.toGeneration()));
  }

  private Response accept(
      String selectorText, String project, BulkOperations.StoredCommand command) {
    selectorProblem(selectorText)
        .ifPresent(
            p -> {
              throw ProblemException.invalid(List.of(p));
            });
    Selector selector = Selector.parse(selectorText);
    Caller who = caller.caller();
    String id = "bulk-" + UUID.randomUUID();
    List<Touched> touched =
        store.inTransaction(
            c -> {
              List<Candidate> matched = match(c, who, selector, Optional.ofNullable(project));
              if (matched.isEmpty()) {
                throw ProblemException.invalid(
                    List.of(new FieldError("selector", "matches no cluster you can see")));
              }
              for (Candidate m : matched) {
                who.require(m.state().project(), Role.OPERATOR, "cluster " + m.state().id());
              }
              check(c, matched, command);
              store(c, id, command, matched, who);
              return matched.stream()
                  .map(
                      m ->
                          new Touched(
                              m.state().id().value(), m.state().name(), m.state().project()))
                  .toList();
            });
    operations.nudge();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("operationId", id);
    answer.put("kind", command.kind());
    answer.put("count", touched.size());
    answer.put("clusters", touched);
    return Response.accepted(answer).location(URI.create("/api/v1/clusters/bulk/" + id)).build();
  }

  private static Optional<FieldError> selectorProblem(String text) {
    if (text == null || text.isBlank()) {
      return Optional.of(
          new FieldError("selector", "is required (a label selector such as env=prod)"));
    }
    try {
      Selector.parse(text);
      return Optional.empty();
    } catch (Selector.Unparseable e) {
      return Optional.of(new FieldError("selector", e.getMessage()));
    }
  }

  private record Candidate(ClusterState state, long seq) {}

  private static List<Candidate> match(
      Connection c, Caller who, Selector selector, Optional<String> project) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT state, seq FROM clusters WHERE NOT deleted");
    List<Object> params = new ArrayList<>();
    io.strata.cluster.registry.ClusterQueries.visibleTo(who, project, sql, params);
    sql.append(" AND (").append(selector.sql()).append(") ORDER BY id");
    params.addAll(selector.parameters());
    List<Candidate> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      io.strata.cluster.registry.ClusterQueries.bindAll(c, ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Candidate(ClusterRows.parse(rs.getString(1)), rs.getLong(2)));
        }
      }
    }
    return out;
  }

  /** Decides for every cluster without writing anything; any refusal refuses the whole request. */
  private void check(Connection c, List<Candidate> matched, BulkOperations.StoredCommand command)
      throws SQLException {
    Catalog catalog = profiles.catalog(c);
    ClusterCommand cmd = command.command();
    Map<String, ClusterRows.Earlier> earlier =
        cmd instanceof ClusterCommand.Rollback r
            ? rows.rollbackTargets(
                c, matched.stream().map(m -> m.state().id().value()).toList(), r.toGeneration())
            : Map.of();
    List<FieldError> refusals = new ArrayList<>();
    for (Candidate m : matched) {
      try {
        commands.dryRun(m.state(), cmd, catalog, earlier);
      } catch (ClusterRejected e) {
        refusals.add(new FieldError("clusters." + m.state().name(), e.getMessage()));
      }
    }
    if (!refusals.isEmpty()) {
      throw ProblemException.invalid(refusals);
    }
  }

  private static void store(
      Connection c,
      String id,
      BulkOperations.StoredCommand command,
      List<Candidate> matched,
      Caller who)
      throws SQLException {
    try (PreparedStatement op =
        c.prepareStatement(
            "INSERT INTO bulk_operations (id, kind, request, actor, correlation_id, created_at)"
                + " VALUES (?, ?, ?::jsonb, ?, ?, ?)")) {
      op.setString(1, id);
      op.setString(2, command.kind());
      op.setString(3, io.strata.events.EventJson.write(command));
      op.setString(4, who.name());
      op.setString(5, id);
      op.setTimestamp(6, Timestamp.from(Instant.now()));
      op.executeUpdate();
    }
    try (PreparedStatement item =
        c.prepareStatement(
            "INSERT INTO bulk_items (operation_id, position, cluster_id, project, status) VALUES"
                + " (?, ?, ?, ?, 'pending')")) {
      int position = 0;
      Map<BulkOperations.Counted, Integer> pending = new HashMap<>();
      for (Candidate m : matched) {
        pending.merge(
            new BulkOperations.Counted(id, m.state().project(), "pending"), 1, Integer::sum);
        item.setString(1, id);
        item.setInt(2, position++);
        item.setString(3, m.state().id().value());
        item.setString(4, m.state().project());
        item.addBatch();
      }
      item.executeBatch();
      BulkOperations.addCounts(c, pending);
    }
  }

  /** A progress answer lists at most this many of the items that are not done. */
  static final int MAX_ITEMS_SHOWN = 1000;

  /** Progress of one item. */
  public record ItemView(String clusterId, String status, Long generation, String message) {}

  @GET
  @Path("/{operationId}")
  @Produces(MediaType.APPLICATION_JSON)
  @Allow(Role.VIEWER)
  @Operation(summary = "Progress of a bulk operation: counts, and every item that is not done")
  public Map<String, Object> progress(@PathParam("operationId") String operationId) {
    Caller who = caller.caller();
    return store.inTransaction(
        c -> {
          Map<String, Object> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT kind, actor, created_at, finished_at FROM bulk_operations WHERE id = ?")) {
            ps.setString(1, operationId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw ProblemException.notFound("bulk operation " + operationId);
              }
              out.put("operationId", operationId);
              out.put("kind", rs.getString(1));
              out.put("actor", rs.getString(2));
              out.put("createdAt", rs.getTimestamp(3).toInstant());
              Timestamp finished = rs.getTimestamp(4);
              out.put("finishedAt", finished == null ? null : finished.toInstant());
            }
          }
          // kept by the batches (bulk_counts): a poll of a 10,000-cluster operation reads a few
          // rows
          Map<String, Integer> counts = new LinkedHashMap<>();
          int visible = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT project, status, n FROM bulk_counts WHERE operation_id = ? AND n > 0"
                      + " ORDER BY status")) {
            ps.setString(1, operationId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (who.canSee(rs.getString(1))) {
                  counts.merge(rs.getString(2), rs.getInt(3), Integer::sum);
                  visible += rs.getInt(3);
                }
              }
            }
          }
          // what needs attention (failed, skipped) first, then what is still pending; each
          // straight from its partial index
          List<ItemView> notDone = new ArrayList<>();
          for (String which :
              List.of("status NOT IN ('pending', 'done', 'unchanged')", "status = 'pending'")) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT cluster_id, project, status, generation, message FROM bulk_items WHERE"
                        + " operation_id = ? AND "
                        + which
                        + " ORDER BY position")) {
              ps.setString(1, operationId);
              ps.setFetchSize(MAX_ITEMS_SHOWN);
              try (ResultSet rs = ps.executeQuery()) {
                while (notDone.size() < MAX_ITEMS_SHOWN && rs.next()) {
                  if (who.canSee(rs.getString(2))) {
                    notDone.add(
                        new ItemView(
                            rs.getString(1),
                            rs.getString(3),
                            rs.getObject(4, Long.class),
                            rs.getString(5)));
                  }
                }
              }
            }
          }
          if (visible == 0) {
            throw ProblemException.notFound("bulk operation " + operationId);
          }
          out.put("total", visible);
          out.put("counts", counts);
          out.put("items", notDone);
          return out;
        });
  }
}
