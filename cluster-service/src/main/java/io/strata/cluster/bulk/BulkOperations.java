package io.strata.cluster.bulk;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.ClusterRejected;
import io.strata.cluster.registry.ClusterCommands;
import io.strata.events.EventJson;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.kit.catalog.Catalog;
import io.strata.kit.catalog.KnownProfiles;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Carries out accepted bulk operations cluster by cluster, in batches of one transaction each. An
 * operation is stored before the 202 answers, so a restart resumes it; items are claimed with
 * {@code SKIP LOCKED}, so several replicas share the work without doing any of it twice.
 */
@Singleton
public class BulkOperations {
  private static final Logger LOG = Logger.getLogger(BulkOperations.class);

  /** What a stored operation does to each of its clusters. */
  public record StoredCommand(
      String kind,
      List<ClusterCommand.ProfileRequest> profiles,
      java.util.Map<String, String> variables,
      boolean acceptConflicts,
      Long toGeneration) {
    ClusterCommand command() {
      return switch (kind) {
        case "attach" ->
            new ClusterCommand.AttachProfiles(
                profiles,
                variables == null ? java.util.Map.of() : variables,
                acceptConflicts,
                true);
        case "rollback" ->
            new ClusterCommand.Rollback(
                toGeneration == null
                    ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(toGeneration));
        default -> throw new IllegalStateException("unknown bulk kind " + kind);
      };
    }
  }

  private final EventStore store;
  private final ClusterCommands commands;
  private final KnownProfiles profiles;
  private final int batchSize;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bulk-operations");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean scheduled = new AtomicBoolean();

  BulkOperations(
      EventStore store,
      ClusterCommands commands,
      KnownProfiles profiles,
      @ConfigProperty(name = "strata.bulk.batch-size", defaultValue = "200") int batchSize) {
    this.store = store;
    this.commands = commands;
    this.profiles = profiles;
    this.batchSize = batchSize;
  }

  void start(@Observes StartupEvent ignored) {
    worker.scheduleWithFixedDelay(this::nudge, 1, 1, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    worker.shutdownNow();
  }

  /** Work is waiting: drain it soon (at most one drain is queued at a time). */
  public void nudge() {
    if (scheduled.compareAndSet(false, true)) {
      worker.execute(
          () -> {
            scheduled.set(false);
            drain();
          });
    }
  }

  private void drain() {
    try {
      while (batch() > 0) {
        // keep going until nothing is pending
      }
    } catch (RuntimeException e) {
      LOG.warnf("bulk batch failed, retrying shortly: %s", e.getMessage());
    }
  }

  /** One batch in one transaction; answers how many items it carried out. */
  int batch() {
    return store.inTransaction(
        c -> {
          List<Item> items = claim(c);
          if (items.isEmpty()) {
            return 0;
          }
          Catalog catalog = profiles.catalog(c);
          for (Item item : items) {
            String status;
            Long generation = null;
            String message = "";
            // one item that fails, whatever the reason, must not hold back the others
            java.sql.Savepoint savepoint = c.setSavepoint();
            try {
              Optional<ClusterCommands.Outcome> outcome =
                  commands.executeLocked(
                      c, item.clusterId(), item.command().command(), item.meta(), catalog);
              if (outcome.isEmpty()) {
                status = "skipped";
                message = "cluster was deregistered";
              } else {
                status = outcome.get().events().isEmpty() ? "unchanged" : "done";
                generation = outcome.get().state().generation();
              }
              c.releaseSavepoint(savepoint);
            } catch (ClusterRejected | io.strata.kit.http.ProblemException e) {
              c.rollback(savepoint);
              status = "failed";
              message = e.getMessage();
            } catch (RuntimeException | SQLException | StackOverflowError e) {
              c.rollback(savepoint);
              LOG.warnf("bulk item %s on %s failed: %s", item.operationId(), item.clusterId(), e);
              status = "failed";
              message = "could not be carried out: " + e.getClass().getSimpleName();
            }
            finish(c, item, status, generation, message);
          }
          closeFinished(c);
          return items.size();
        });
  }

  private record Item(
      String operationId,
      int position,
      String clusterId,
      StoredCommand command,
      CommandMetadata meta) {}

  private List<Item> claim(Connection c) throws SQLException {
    List<Item> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT i.operation_id, i.position, i.cluster_id, o.request, o.actor, o.correlation_id"
                + " FROM bulk_items i JOIN bulk_operations o ON o.id = i.operation_id"
                + " WHERE i.status = 'pending' ORDER BY o.created_at, i.operation_id, i.position"
                + " LIMIT ? FOR UPDATE OF i SKIP LOCKED")) {
      ps.setInt(1, batchSize);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Item(
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getString(3),
                  EventJson.read(rs.getString(4), StoredCommand.class),
                  new CommandMetadata(rs.getString(5), rs.getString(6), "")));
        }
      }
    }
    return out;
  }

  private static void finish(
      Connection c, Item item, String status, Long generation, String message) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bulk_items SET status = ?, generation = ?, message = ? WHERE operation_id = ?"
                + " AND position = ?")) {
      ps.setString(1, status);
      ps.setObject(2, generation);
      ps.setString(3, message.length() > 1000 ? message.substring(0, 1000) : message);
      ps.setString(4, item.operationId());
      ps.setInt(5, item.position());
      ps.executeUpdate();
    }
  }

  private static void closeFinished(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bulk_operations o SET finished_at = now() WHERE finished_at IS NULL AND NOT"
                + " EXISTS (SELECT 1 FROM bulk_items i WHERE i.operation_id = o.id AND i.status ="
                + " 'pending')")) {
      ps.executeUpdate();
    }
  }
}
