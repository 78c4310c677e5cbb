package io.strata.cluster.registry;

import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.ClusterDecider;
import io.strata.cluster.domain.ClusterRejected;
import io.strata.cluster.domain.ClusterState;
import io.strata.cluster.domain.DecisionContext;
import io.strata.events.ClusterEvent;
import io.strata.events.ClusterId;
import io.strata.events.EventEnvelope;
import io.strata.events.access.Role;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.SealedValues;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.http.Problem.FieldError;
import io.strata.kit.http.ProblemException;
import io.strata.kit.secrets.Sealer;
import io.strata.kit.security.CallerContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The write path of every cluster command, in one transaction: lock the cluster's row, authorise on
 * its project, check If-Match, decide, append (events + outbox) and update the read model.
 */
@ApplicationScoped
public class ClusterCommands {
  private final EventStore store;
  private final ClusterRows rows;
  private final KnownProfiles profiles;
  private final Sealer sealer;
  private final CallerContext caller;
  private final ClusterQueries queries;

  ClusterCommands(
      EventStore store,
      ClusterRows rows,
      KnownProfiles profiles,
      Sealer sealer,
      CallerContext caller,
      ClusterQueries queries) {
    this.queries = queries;
    this.store = store;
    this.rows = rows;
    this.profiles = profiles;
    this.sealer = sealer;
    this.caller = caller;
  }

  void start(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ignored) {
    sealer.requireKeyInProduction(io.quarkus.runtime.LaunchMode.current());
  }

  /** What a command produced: the events and the state they led to. */
  public record Outcome(List<EventEnvelope> events, ClusterState state) {}

  /**
   * A command's outcome and the cluster as the API shows it afterwards, read in the same
   * transaction: an answer that fails cannot follow a change that was committed.
   */
  public record Answered(Outcome outcome, ClusterView view) {}

  public Answered executeAndShow(
      String clusterId, Role role, ClusterCommand.Expecting expecting, ClusterCommand command) {
    return store.inTransaction(
        c -> {
          Outcome outcome = execute(c, clusterId, role, expecting, command);
          return new Answered(
              outcome,
              queries
                  .get(c, caller.caller(), clusterId)
                  .orElseThrow(() -> ProblemException.notFound("cluster " + clusterId)));
        });
  }

  /** A registration's outcome and the new cluster as the API shows it. */
  public record Registered(Outcome outcome, ClusterView view) {}

  /**
   * A checked registration: {@code kubeconfig} is sealed in the registering transaction; {@code at}
   * prefixes the fields of its problems in a batch.
   */
  public record Registration(
      ClusterCommand.Register command, Optional<String> kubeconfig, String at) {}

  public Registered register(Registration registration) {
    ClusterCommand.Register command = registration.command();
    caller.caller().require(command.project(), Role.ADMIN, "project " + command.project());
    return store.inTransaction(
        c -> {
          Catalog catalog = profiles.catalog(c);
          Outcome outcome = register(c, registration, catalog);
          java.time.Instant at = outcome.events().get(0).time();
          ClusterQueries.Row row =
              new ClusterQueries.Row("Pending", 0, 0, ClusterRows.waiting(1), at, at, at);
          return new Registered(outcome, ClusterQueries.view(outcome.state(), row, catalog, true));
        });
  }

  /** Registers every cluster in one transaction, or none: every refusal is listed. */
  public List<Outcome> registerAll(List<Registration> registrations) {
    for (Registration r : registrations) {
      caller
          .caller()
          .require(r.command().project(), Role.ADMIN, "project " + r.command().project());
    }
    try {
      return store.inTransaction(c -> registerAll(c, registrations));
    } catch (NameRace race) {
      // a name was taken between the check and the insert: the check now sees it and names it
      return store.inTransaction(c -> registerAll(c, registrations));
    }
  }

  /** Another registration of a name in the batch committed after the batch checked its names. */
  private static final class NameRace extends RuntimeException {
    NameRace(Throwable cause) {
      super(cause.toString(), cause);
    }
  }

  /**
   * The names of the whole batch are checked in one query, so each cluster is then written without
   * a check or a savepoint of its own (the fleet import's cost per cluster).
   */
  private List<Outcome> registerAll(Connection c, List<Registration> registrations)
      throws SQLException {
    Catalog catalog = profiles.catalog(c);
    java.util.Set<ClusterRows.ProjectName> taken =
        rows.namesTaken(
            c,
            registrations.stream()
                .map(r -> new ClusterRows.ProjectName(r.command().project(), r.command().name()))
                .toList());
    List<Decided> decided = new java.util.ArrayList<>();
    List<FieldError> refusals = new java.util.ArrayList<>();
    for (Registration r : registrations) {
      ClusterCommand.Register command = r.command();
      ClusterRows.ProjectName name = new ClusterRows.ProjectName(command.project(), command.name());
      if (taken.contains(name)) {
        refusals.add(new FieldError(r.at() + "name", nameTaken(command)));
        continue;
      }
      try {
        decided.add(decide(c, r, catalog));
      } catch (ClusterRejected e) {
        e.errors().forEach(f -> refusals.add(new FieldError(r.at() + f.field(), f.message())));
        if (e.errors().isEmpty()) {
          refusals.add(new FieldError(r.at() + "name", e.getMessage()));
        }
      } catch (ProblemException e) {
        refusals.add(new FieldError(r.at() + "name", e.getMessage()));
      }
    }
    if (!refusals.isEmpty()) {
      throw ProblemException.invalid(refusals);
    }
    try {
      return writeAll(c, decided);
    } catch (SQLException e) {
      if (nameConflict(e)) {
        throw new NameRace(e);
      }
      throw e;
    }
  }

  private static String nameTaken(ClusterCommand.Register command) {
    return "a cluster named " + command.name() + " exists in project " + command.project();
  }

  private static boolean nameConflict(SQLException e) {
    return "23505".equals(e.getSQLState())
        && String.valueOf(e.getMessage()).contains("clusters_project_name");
  }

  private Outcome register(Connection c, Registration registration, Catalog catalog)
      throws SQLException {
    ClusterCommand.Register command = registration.command();
    if (rows.nameTaken(c, command.project(), command.name())) {
      throw ProblemException.conflict(nameTaken(command));
    }
    Decided decided = decide(c, registration, catalog);
    java.sql.Savepoint beforeInsert = c.setSavepoint();
    try {
      return writeAll(c, List.of(decided)).getFirst();
    } catch (SQLException e) {
      if (nameConflict(e)) {
        // another registration of the same name committed first
        c.rollback(beforeInsert);
        throw ProblemException.conflict(nameTaken(command));
      }
      throw e;
    }
  }

  /** Seals the kubeconfig and decides a registration whose name was checked. */
  private Decided decide(Connection c, Registration registration, Catalog catalog)
      throws SQLException {
    ClusterCommand.Register command = registration.command();
    ClusterCommand.Register register = command;
    if (registration.kubeconfig().isPresent()) {
      String ref =
          sealer.seal(c, command.id(), "kubeconfig", "kubeconfig", registration.kubeconfig().get());
      register =
          new ClusterCommand.Register(
              command.id(),
              command.name(),
              command.project(),
              command.labels(),
              new io.strata.events.cluster.ClusterTarget(command.target().kind(), ref),
              command.driftPolicy(),
              command.profiles(),
              command.variables());
    }
    ClusterState unregistered = ClusterState.unregistered(command.id());
    return new Decided(
        new ClusterRows.Locked(unregistered, 0),
        ClusterDecider.decide(unregistered, register, context(c, unregistered, catalog)),
        caller.metadata(command.project()));
  }

  /**
   * Runs a command if the caller holds {@code role} in the cluster's project: 404 when it cannot
   * see the cluster, 403 when its role there is too low, 412 when If-Match names another
   * generation.
   */
  public Outcome execute(
      String clusterId, Role role, ClusterCommand.Expecting expecting, ClusterCommand command) {
    return store.inTransaction(c -> execute(c, clusterId, role, expecting, command));
  }

  private Outcome execute(
      Connection c,
      String clusterId,
      Role role,
      ClusterCommand.Expecting expecting,
      ClusterCommand command)
      throws SQLException {
    ClusterRows.Locked locked =
        rows.lock(c, clusterId)
            .filter(l -> caller.caller().canSee(l.state().project()))
            .orElseThrow(() -> ProblemException.notFound("cluster " + clusterId));
    String project = locked.state().project();
    caller.caller().require(project, role, "cluster " + clusterId);
    expecting
        .generation()
        .ifPresent(
            g -> {
              if (g != locked.state().generation()) {
                throw new ClusterRejected.Stale(
                    "If-Match names generation "
                        + g
                        + " but the cluster is at generation "
                        + locked.state().generation());
              }
            });
    return run(c, locked, command, caller.metadata(project), profiles.catalog(c));
  }

  private Outcome run(
      Connection c,
      ClusterRows.Locked locked,
      ClusterCommand command,
      CommandMetadata meta,
      Catalog catalog)
      throws SQLException {
    ClusterState state = locked.state();
    List<ClusterEvent> events = ClusterDecider.decide(state, command, context(c, state, catalog));
    return writeAll(c, List.of(new Decided(locked, events, meta))).getFirst();
  }

  /** A decision on a locked cluster whose events are not written yet. */
  public record Decided(
      ClusterRows.Locked locked, List<ClusterEvent> events, CommandMetadata meta) {}

  /**
   * Decides a command on a cluster the caller has locked and authorised, inside the caller's
   * transaction, writing nothing but sealed values: the bulk path, which writes a batch's decisions
   * together with {@link #writeAll}. {@code targets} holds the rollback targets of the batch's
   * clusters, fetched at once (empty for other commands).
   */
  public Decided decideOn(
      Connection c,
      ClusterRows.Locked locked,
      ClusterCommand command,
      CommandMetadata meta,
      Catalog catalog,
      Map<String, ClusterRows.Earlier> targets) {
    ClusterState state = locked.state();
    DecisionContext ctx =
        withTarget(
            Optional.ofNullable(targets.get(state.id().value())),
            state.generation(),
            context(c, state, catalog));
    return new Decided(
        locked,
        ClusterDecider.decide(state, command, ctx),
        new CommandMetadata(meta.actor(), meta.correlationId(), state.project()));
  }

  /**
   * Writes decisions, one per cluster (events, outbox, read model), with a few round trips for all
   * of them.
   */
  public List<Outcome> writeAll(Connection c, List<Decided> decided) throws SQLException {
    List<List<EventEnvelope>> appended =
        store.appendAll(
            c,
            decided.stream()
                .map(
                    d ->
                        new EventStore.Append(
                            d.locked().state().id().value(),
                            d.locked().seq(),
                            d.events(),
                            d.meta()))
                .toList());
    List<ClusterRows.Appended> appends = new java.util.ArrayList<>(decided.size());
    for (int i = 0; i < decided.size(); i++) {
      appends.add(new ClusterRows.Appended(decided.get(i).locked().state(), appended.get(i)));
    }
    List<ClusterState> states = rows.applyAll(c, appends);
    List<Outcome> out = new java.util.ArrayList<>(decided.size());
    for (int i = 0; i < decided.size(); i++) {
      out.add(new Outcome(appended.get(i), states.get(i)));
    }
    return out;
  }

  /**
   * Decides without writing anything (sensitive values are not sealed): the bulk pre-check. {@code
   * earlier} holds each cluster's rollback target, fetched for the whole batch at once.
   */
  public List<ClusterEvent> dryRun(
      ClusterState state,
      ClusterCommand command,
      Catalog catalog,
      Map<String, ClusterRows.Earlier> earlier) {
    return ClusterDecider.decide(
        state,
        command,
        withTarget(
            Optional.ofNullable(earlier.get(state.id().value())),
            state.generation(),
            new DecisionContext() {
              @Override
              public Catalog catalog() {
                return catalog;
              }

              @Override
              public Optional<ClusterSpec> generation(long generation) {
                return Optional.empty();
              }

              @Override
              public OptionalLong lastConvergedBefore(long generation) {
                return OptionalLong.empty();
              }

              @Override
              public String seal(ClusterId cluster, String variable, String value) {
                return SealedValues.ref(cluster, java.util.UUID.randomUUID().toString());
              }
            }));
  }

  /**
   * A context whose rollback lookups answer from {@code target}, the cluster's row of {@link
   * ClusterRows#rollbackTargets} fetched with the rollback's own {@code toGeneration}, and from
   * {@code otherwise} for anything else. The target of a rollback without {@code toGeneration} is
   * the newest converged generation, else the previous one, so it also answers which generation
   * last converged; with {@code toGeneration} the decider does not ask that.
   */
  private static DecisionContext withTarget(
      Optional<ClusterRows.Earlier> target, long current, DecisionContext otherwise) {
    if (target.isEmpty()) {
      return otherwise;
    }
    ClusterRows.Earlier t = target.get();
    return new DecisionContext() {
      @Override
      public Catalog catalog() {
        return otherwise.catalog();
      }

      @Override
      public Optional<ClusterSpec> generation(long generation) {
        return generation == t.generation()
            ? Optional.of(t.spec())
            : otherwise.generation(generation);
      }

      @Override
      public OptionalLong lastConvergedBefore(long generation) {
        if (generation != current) {
          return otherwise.lastConvergedBefore(generation);
        }
        return t.converged() ? OptionalLong.of(t.generation()) : OptionalLong.empty();
      }

      @Override
      public String seal(ClusterId cluster, String variable, String value) {
        return otherwise.seal(cluster, variable, value);
      }
    };
  }

  private DecisionContext context(Connection c, ClusterState state, Catalog catalog) {
    String id = state.id().value();
    return new DecisionContext() {
      @Override
      public Catalog catalog() {
        return catalog;
      }

      @Override
      public Optional<ClusterSpec> generation(long generation) {
        return sql(() -> rows.generation(c, id, generation));
      }

      @Override
      public OptionalLong lastConvergedBefore(long generation) {
        return sql(() -> rows.lastConvergedBefore(c, id, generation));
      }

      @Override
      public String seal(ClusterId cluster, String variable, String value) {
        return sql(() -> sealer.seal(c, cluster, "variable", variable, value));
      }
    };
  }

  private interface Sql<T> {
    T get() throws SQLException;
  }

  private static <T> T sql(Sql<T> work) {
    try {
      return work.get();
    } catch (SQLException e) {
      throw new io.strata.eventstore.EventStoreException(
          "cluster lookup failed: " + e.getMessage(), e);
    }
  }
}
