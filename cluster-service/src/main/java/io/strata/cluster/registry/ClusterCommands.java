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
    List<Outcome> out = new java.util.ArrayList<>();
    List<FieldError> refusals = new java.util.ArrayList<>();
    for (Registration r : registrations) {
      ClusterCommand.Register command = r.command();
      ClusterRows.ProjectName name = new ClusterRows.ProjectName(command.project(), command.name());
      if (taken.contains(name)) {
        refusals.add(new FieldError(r.at() + "name", nameTaken(command)));
        continue;
      }
      try {
        out.add(write(c, r, catalog));
      } catch (ClusterRejected e) {
        e.errors().forEach(f -> refusals.add(new FieldError(r.at() + f.field(), f.message())));
        if (e.errors().isEmpty()) {
          refusals.add(new FieldError(r.at() + "name", e.getMessage()));
        }
      } catch (ProblemException e) {
        refusals.add(new FieldError(r.at() + "name", e.getMessage()));
      } catch (SQLException e) {
        if (nameConflict(e)) {
          throw new NameRace(e);
        }
        throw e;
      }
    }
    if (!refusals.isEmpty()) {
      throw ProblemException.invalid(refusals);
    }
    return out;
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
    java.sql.Savepoint beforeInsert = c.setSavepoint();
    try {
      return write(c, registration, catalog);
    } catch (SQLException e) {
      if (nameConflict(e)) {
        // another registration of the same name committed first
        c.rollback(beforeInsert);
        throw ProblemException.conflict(nameTaken(command));
      }
      throw e;
    }
  }

  /** Seals the kubeconfig, decides and writes a registration whose name was checked. */
  private Outcome write(Connection c, Registration registration, Catalog catalog)
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
    return run(
        c,
        new ClusterRows.Locked(ClusterState.unregistered(command.id()), 0),
        register,
        caller.metadata(command.project()),
        catalog);
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

  /**
   * Runs a command on an already-authorised cluster that the caller has locked, inside the caller's
   * transaction: the bulk path, which locks a batch at once and shares one catalog.
   */
  public Outcome executeOn(
      Connection c,
      ClusterRows.Locked locked,
      ClusterCommand command,
      CommandMetadata meta,
      Catalog catalog)
      throws SQLException {
    return run(
        c,
        locked,
        command,
        new CommandMetadata(meta.actor(), meta.correlationId(), locked.state().project()),
        catalog);
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
    List<EventEnvelope> appended = store.append(c, state.id().value(), locked.seq(), events, meta);
    return new Outcome(appended, rows.apply(c, state, appended));
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
    Optional<ClusterRows.Earlier> target = Optional.ofNullable(earlier.get(state.id().value()));
    return ClusterDecider.decide(
        state,
        command,
        new DecisionContext() {
          @Override
          public Catalog catalog() {
            return catalog;
          }

          @Override
          public Optional<ClusterSpec> generation(long generation) {
            return target.filter(t -> t.generation() == generation).map(ClusterRows.Earlier::spec);
          }

          @Override
          public OptionalLong lastConvergedBefore(long generation) {
            return target.map(t -> OptionalLong.of(t.generation())).orElse(OptionalLong.empty());
          }

          @Override
          public String seal(ClusterId cluster, String variable, String value) {
            return SealedValues.ref(cluster, java.util.UUID.randomUUID().toString());
          }
        });
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
