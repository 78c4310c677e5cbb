package io.strata.cluster.bulk;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.cluster.domain.ClusterCommand;
import io.strata.cluster.domain.ClusterRejected;
import io.strata.cluster.registry.ClusterCommands;
import io.strata.cluster.registry.ClusterRows;
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
import java.util.Map;
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
  private final ClusterRows rows;
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
      ClusterRows rows,
      KnownProfiles profiles,
      @ConfigProperty(name = "strata.bulk.batch-size", defaultValue = "200") int batchSize) {
    this.store = store;
    this.commands = commands;
    this.rows = rows;
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

  /** An item failed after it had written: the batch is redone with a savepoint per item. */
  private static final class ItemWriteFailed extends RuntimeException {
    ItemWriteFailed(Throwable cause) {
      super(cause.toString(), cause);
    }
  }

  /** One batch in one transaction; answers how many items it carried out. */
  int batch() {
    try {
      return store.inTransaction(c -> batch(c, false));
    } catch (ItemWriteFailed e) {
      LOG.warnf("bulk batch redone item by item: %s", e.getMessage());
      return store.inTransaction(c -> batch(c, true));
    }
  }

  /**
   * Carries out a batch: the clusters are locked in one query and each outcome is written with the
   * others at the end. A refusal happens before an item writes anything, so it needs no savepoint;
   * only an item that may seal values (variables), or every item when {@code careful}, gets one.
   */
  private int batch(Connection c, boolean careful) throws SQLException {
    List<Item> items = claim(c);
    if (items.isEmpty()) {
      return 0;
    }
    Catalog catalog = profiles.catalog(c);
    Map<String, ClusterRows.Locked> locked =
        rows.lockAll(c, items.stream().map(Item::clusterId).distinct().toList());
    List<Finished> finished = new ArrayList<>(items.size());
    for (Item item : items) {
      ClusterRows.Locked cluster = locked.get(item.clusterId());
      if (cluster == null) {
        finished.add(new Finished(item, "skipped", null, "cluster was deregistered"));
        continue;
      }
      boolean guarded =
          careful || (item.command().variables() != null && !item.command().variables().isEmpty());
      java.sql.Savepoint savepoint = guarded ? c.setSavepoint() : null;
      try {
        ClusterCommands.Outcome outcome =
            commands.executeOn(c, cluster, item.command().command(), item.meta(), catalog);
        // the next item on the same cluster (two operations in one batch) sees this one's result
        if (!outcome.events().isEmpty()) {
          locked.put(
              item.clusterId(),
              new ClusterRows.Locked(outcome.state(), outcome.events().getLast().seq()));
        }
        finished.add(
            new Finished(
                item,
                outcome.events().isEmpty() ? "unchanged" : "done",
                outcome.state().generation(),
                ""));
        if (savepoint != null) {
          c.releaseSavepoint(savepoint);
        }
      } catch (ClusterRejected | io.strata.kit.http.ProblemException e) {
        if (savepoint != null) {
          c.rollback(savepoint);
        }
        finished.add(new Finished(item, "failed", null, e.getMessage()));
      } catch (RuntimeException | SQLException | StackOverflowError e) {
        if (savepoint == null) {
          throw new ItemWriteFailed(e);
        }
        c.rollback(savepoint);
        LOG.warnf("bulk item %s on %s failed: %s", item.operationId(), item.clusterId(), e);
        finished.add(
            new Finished(
                item, "failed", null, "could not be carried out: " + e.getClass().getSimpleName()));
      }
    }
    finish(c, finished);
    closeFinished(c);
    return items.size();
  }

  private record Finished(Item item, String status, Long generation, String message) {}

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

  private static void finish(Connection c, List<Finished> finished) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE bulk_items SET status = ?, generation = ?, message = ? WHERE operation_id = ?"
                + " AND position = ?")) {
      for (Finished f : finished) {
        ps.setString(1, f.status());
        ps.setObject(2, f.generation());
        ps.setString(3, f.message().length() > 1000 ? f.message().substring(0, 1000) : f.message());
        ps.setString(4, f.item().operationId());
        ps.setInt(5, f.item().position());
        ps.addBatch();
      }
      ps.executeBatch();
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
