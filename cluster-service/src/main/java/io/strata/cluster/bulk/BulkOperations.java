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
  private final List<Drainer> drainers;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(daemon("bulk-operations-ticker"));

  BulkOperations(
      EventStore store,
      ClusterCommands commands,
      ClusterRows rows,
      KnownProfiles profiles,
      @ConfigProperty(name = "strata.bulk.batch-size", defaultValue = "200") int batchSize,
      @ConfigProperty(name = "strata.bulk.workers", defaultValue = "2") int workers) {
    this.store = store;
    this.commands = commands;
    this.rows = rows;
    this.profiles = profiles;
    this.batchSize = batchSize;
    this.drainers =
        java.util.stream.IntStream.range(0, Math.max(1, workers))
            .mapToObj(i -> new Drainer("bulk-operations-" + i))
            .toList();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * One worker thread draining batches. Several work on the oldest operation at once, each on other
   * items (a batch's transaction waits on the database most of its time, so one thread alone leaves
   * the machine idle between its round trips).
   */
  private final class Drainer {
    private final java.util.concurrent.ExecutorService thread;
    private final AtomicBoolean queued = new AtomicBoolean();

    Drainer(String name) {
      thread = Executors.newSingleThreadExecutor(daemon(name));
    }

    /** At most one drain is queued per worker. */
    void nudge() {
      if (queued.compareAndSet(false, true)) {
        thread.execute(
            () -> {
              queued.set(false);
              drain();
            });
      }
    }
  }

  void start(@Observes StartupEvent ignored) {
    ticker.scheduleWithFixedDelay(this::nudge, 1, 1, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    ticker.shutdownNow();
    drainers.forEach(d -> d.thread.shutdownNow());
  }

  /** Work is waiting: every worker drains it soon. */
  public void nudge() {
    drainers.forEach(Drainer::nudge);
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
   * Carries out a batch: the clusters are locked in one query, every item is decided, and the
   * decisions are written together at the end (a few round trips for the whole batch), as are the
   * outcomes. A refusal happens before an item writes anything, so it needs no savepoint; only an
   * item that may seal values (variables) gets one. When {@code careful}, each item is written on
   * its own under a savepoint, so that one whose write fails fails alone.
   */
  private int batch(Connection c, boolean careful) throws SQLException {
    List<Item> items = claim(c);
    if (items.isEmpty()) {
      return 0;
    }
    Catalog catalog = profiles.catalog(c);
    List<String> ids = items.stream().map(Item::clusterId).toList();
    Map<String, ClusterRows.Locked> locked = rows.lockAll(c, ids);
    // one operation per batch, so each cluster once: a rollback's targets are fetched for all its
    // clusters at once, and the decisions are written together
    Map<String, ClusterRows.Earlier> targets =
        items.getFirst().command().command() instanceof ClusterCommand.Rollback r
            ? rows.rollbackTargets(c, ids, r.toGeneration())
            : Map.of();
    List<Finished> finished = new ArrayList<>(items.size());
    List<ClusterCommands.Decided> decided = new ArrayList<>(items.size());
    List<Item> writing = new ArrayList<>(items.size());
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
        ClusterCommands.Decided d =
            commands.decideOn(c, cluster, item.command().command(), item.meta(), catalog, targets);
        if (careful) {
          ClusterCommands.Outcome outcome = commands.writeAll(c, List.of(d)).getFirst();
          finished.add(done(item, outcome.events().isEmpty(), outcome.state().generation()));
        } else {
          decided.add(d);
          writing.add(item);
        }
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
    try {
      List<ClusterCommands.Outcome> outcomes = commands.writeAll(c, decided);
      for (int i = 0; i < outcomes.size(); i++) {
        ClusterCommands.Outcome o = outcomes.get(i);
        finished.add(done(writing.get(i), o.events().isEmpty(), o.state().generation()));
      }
    } catch (RuntimeException | SQLException e) {
      throw new ItemWriteFailed(e);
    }
    finish(c, finished);
    count(c, finished);
    return items.size();
  }

  private static Finished done(Item item, boolean unchanged, long generation) {
    return new Finished(item, unchanged ? "unchanged" : "done", generation, "");
  }

  private record Finished(Item item, String status, Long generation, String message) {}

  private record Item(
      String operationId,
      int position,
      String clusterId,
      String project,
      StoredCommand command,
      CommandMetadata meta) {}

  /**
   * Claims up to a batch of pending items of the oldest open operation, in position order, from the
   * index on its pending items; items other workers hold are skipped. A newer operation waits until
   * the older one is finished, so two operations on one cluster always apply in the order they were
   * accepted, whichever worker or replica carries them out.
   */
  private List<Item> claim(Connection c) throws SQLException {
    // an operation is closed by the next claim after its last batch committed: a batch cannot
    // close it itself, since another worker's batch of it may still be in flight (and a worker
    // claims again after every batch it carried out)
    closeFinished(c);
    List<Item> out = new ArrayList<>();
    try (PreparedStatement open =
            c.prepareStatement(
                "SELECT id, request, actor, correlation_id FROM bulk_operations WHERE finished_at"
                    + " IS NULL ORDER BY created_at, id LIMIT 1");
        ResultSet op = open.executeQuery()) {
      if (!op.next()) {
        return out;
      }
      String operation = op.getString(1);
      StoredCommand command = EventJson.read(op.getString(2), StoredCommand.class);
      CommandMetadata meta = new CommandMetadata(op.getString(3), op.getString(4), "");
      try (PreparedStatement pending =
          c.prepareStatement(
              "SELECT position, cluster_id, project FROM bulk_items WHERE operation_id = ? AND"
                  + " status = 'pending' ORDER BY position LIMIT ? FOR UPDATE SKIP LOCKED")) {
        pending.setString(1, operation);
        pending.setInt(2, batchSize);
        try (ResultSet rs = pending.executeQuery()) {
          while (rs.next()) {
            out.add(
                new Item(operation, rs.getInt(1), rs.getString(2), rs.getString(3), command, meta));
          }
        }
      }
    }
    return out;
  }

  /** Moves the progress counts of a batch: each item out of pending into its outcome. */
  private static void count(Connection c, List<Finished> finished) throws SQLException {
    Map<Counted, Integer> moved = new java.util.HashMap<>();
    for (Finished f : finished) {
      Item i = f.item();
      moved.merge(new Counted(i.operationId(), i.project(), "pending"), -1, Integer::sum);
      moved.merge(new Counted(i.operationId(), i.project(), f.status()), 1, Integer::sum);
    }
    addCounts(c, moved);
  }

  /** One progress counter of an operation. */
  record Counted(String operationId, String project, String status) {
    static final java.util.Comparator<Counted> ORDER =
        java.util.Comparator.comparing(Counted::operationId)
            .thenComparing(Counted::project)
            .thenComparing(Counted::status);
  }

  /** Adds to progress counters, in key order so that concurrent batches never deadlock. */
  static void addCounts(Connection c, Map<Counted, Integer> deltas) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO bulk_counts (operation_id, project, status, n) VALUES (?, ?, ?, ?) ON"
                + " CONFLICT (operation_id, project, status) DO UPDATE SET n = bulk_counts.n +"
                + " EXCLUDED.n")) {
      Map<Counted, Integer> ordered = new java.util.TreeMap<>(Counted.ORDER);
      ordered.putAll(deltas);
      for (Map.Entry<Counted, Integer> d : ordered.entrySet()) {
        ps.setString(1, d.getKey().operationId());
        ps.setString(2, d.getKey().project());
        ps.setString(3, d.getKey().status());
        ps.setInt(4, d.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
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
