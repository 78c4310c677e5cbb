package io.strata.reconciler.work;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.events.ClusterId;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.ReconcileEvent;
import io.strata.events.Topics;
import io.strata.events.reconcile.ObjectAction;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.Projection;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.events.ProjectionConsumers;
import io.strata.reconciler.desired.Charts;
import io.strata.reconciler.desired.RenderFailure;
import io.strata.reconciler.desired.Renderer;
import io.strata.reconciler.specs.ClusterSpecs;
import io.strata.reconciler.target.SimulatedClusters;
import io.strata.reconciler.target.Target;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The work queue: one reconcile at a time per cluster, always of its newest generation (a cluster
 * queued while it runs runs once more afterwards, so stale generations are skipped), a bounded
 * number of clusters at once, transient failures retried with exponential backoff (one pending
 * retry per cluster), permanent ones not retried. Outcomes are events: {@code ReconcileStarted},
 * then {@code ReconcileSucceeded} or {@code ReconcileFailed}, with the generation, digest, object
 * actions and duration. At start every cluster is queued: one whose newest generation is done (and,
 * when simulated, still applied in this process) is skipped cheaply.
 */
@Singleton
public class Reconciles {
  private static final Logger LOG = Logger.getLogger(Reconciles.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);

  private final EventStore store;
  private final ClusterSpecs specs;
  private final KnownProfiles profiles;
  private final Charts charts;
  private final SimulatedClusters simulated;
  private final int workers;
  private final Duration readiness;
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> queued = new HashSet<>();
  private final Set<String> active = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();
  private ScheduledExecutorService pool;
  private volatile boolean running;

  Reconciles(
      EventStore store,
      ClusterSpecs specs,
      KnownProfiles profiles,
      Charts charts,
      SimulatedClusters simulated,
      @ConfigProperty(name = "strata.reconciler.workers", defaultValue = "4") int workers,
      @ConfigProperty(name = "strata.reconciler.readiness-timeout", defaultValue = "PT30S")
          Duration readiness) {
    this.store = store;
    this.specs = specs;
    this.profiles = profiles;
    this.charts = charts;
    this.simulated = simulated;
    this.workers = workers;
    this.readiness = readiness;
  }

  void start(@Observes StartupEvent ignored, ProjectionConsumers consumers) {
    running = true;
    pool =
        Executors.newScheduledThreadPool(
            workers + 1,
            r -> {
              Thread t = new Thread(r, "reconcile");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < workers; i++) {
      pool.execute(this::work);
    }
    consumers.start("reconciler-service.profiles", List.of(Topics.PROFILE_EVENTS), profiles);
    consumers.start(
        "reconciler-service.clusters",
        List.of(Topics.CLUSTER_EVENTS),
        new Projection() {
          @Override
          public void apply(Connection c, EventEnvelope e) throws SQLException {
            specs.apply(c, e);
          }

          @Override
          public void afterCommit(EventEnvelope e) {
            // queued only now: before the commit the worker's transaction cannot see the new spec
            if (ClusterSpecs.changesWhatRuns(e.event())) {
              cancelRetry(e.event().aggregateId());
              enqueue(e.event().aggregateId());
            }
          }
        });
    store.inTransaction(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT cluster_id FROM cluster_specs WHERE NOT deregistered OR prune");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              enqueue(rs.getString(1));
            }
          }
          return null;
        });
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /**
   * Queues a cluster: once while it waits; while it runs, marked to run once more afterwards, so
   * its newest generation is always reconciled and never two at a time.
   */
  public synchronized void enqueue(String clusterId) {
    if (active.contains(clusterId)) {
      dirty.add(clusterId);
    } else if (queued.add(clusterId)) {
      queue.add(clusterId);
    }
  }

  private synchronized boolean begin(String id) {
    queued.remove(id);
    return active.add(id);
  }

  private synchronized void end(String id) {
    active.remove(id);
    if (dirty.remove(id)) {
      enqueue(id);
    }
  }

  private void work() {
    while (running) {
      String id;
      try {
        id = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (!begin(id)) {
        continue;
      }
      try {
        reconcile(id);
      } catch (Throwable e) {
        // a worker survives anything, or the parallelism drains away silently
        LOG.warnf("reconcile of %s failed unexpectedly: %s", id, e);
        retry(id, -1);
      } finally {
        end(id);
      }
    }
  }

  /** One pending retry per cluster; the backoff grows per generation. */
  private void retry(String id, long generation) {
    int n = attempts.merge(id + "#" + generation, 1, Integer::sum);
    long delay = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(n, 10));
    ScheduledFuture<?> previous =
        retries.put(id, pool.schedule(() -> enqueue(id), delay, TimeUnit.MILLISECONDS));
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private void cancelRetry(String id) {
    ScheduledFuture<?> pending = retries.remove(id);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  private void reconcile(String id) {
    ClusterId cluster = ClusterId.of(id);
    Instant started = Instant.now();
    Optional<ClusterSpecs.Known> known = store.inTransaction(c -> specs.find(c, id));
    if (known.isEmpty()) {
      return;
    }
    ClusterSpecs.Known k = known.get();
    if (k.deregistered()) {
      if (k.prune() && k.targetKind().equals("simulated")) {
        simulated.prune(cluster);
      }
      return;
    }
    long generation = k.spec().generation();
    if (alreadyDone(id, generation)
        && (!k.targetKind().equals("simulated") || simulated.applied(cluster) == generation)) {
      return;
    }
    Renderer.Rendered rendered;
    try {
      // no transaction is held while charts are fetched and rendered
      rendered = Renderer.render(cluster, k.spec(), profiles.catalog(), charts);
    } catch (RenderFailure f) {
      finish(k, generation, "", List.of(), started, f.getMessage(), f.retryable());
      if (f.retryable()) {
        retry(id, generation);
      }
      return;
    } catch (io.strata.eventstore.EventStoreException e) {
      throw e; // the database, not the content: retried (or a 503)
    } catch (RuntimeException e) {
      // content that slipped past validation: permanent for this generation
      LOG.warnf("render of %s generation %d failed: %s", id, generation, e);
      finish(
          k, generation, "", List.of(), started, "the desired state does not render: " + e, false);
      return;
    }
    record(
        k,
        new ReconcileEvent.ReconcileStarted(cluster, generation, rendered.digest()),
        started,
        null);
    if (!k.targetKind().equals("simulated")) {
      finish(
          k,
          generation,
          rendered.digest(),
          List.of(),
          started,
          "kubernetes targets are not reconciled by this version of the reconciler yet",
          false);
      return;
    }
    Target target = simulated;
    try {
      List<ObjectAction> actions = target.apply(cluster, rendered.objects(), readiness);
      finish(k, generation, rendered.digest(), actions, started, null, false);
      attempts.keySet().removeIf(key -> key.startsWith(id + "#"));
    } catch (Target.TargetFailure f) {
      finish(k, generation, rendered.digest(), f.actions(), started, f.getMessage(), f.retryable());
      if (f.retryable()) {
        retry(id, generation);
      }
    }
  }

  /** Converged, or failed for good, at this generation. */
  private boolean alreadyDone(String id, long generation) {
    return store.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM reconciliations WHERE cluster_id = ? AND generation = ? AND"
                      + " (phase = 'Converged' OR (phase = 'Failed' AND NOT retryable))")) {
            ps.setString(1, id);
            ps.setLong(2, generation);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  private void finish(
      ClusterSpecs.Known k,
      long generation,
      String digest,
      List<ObjectAction> actions,
      Instant started,
      String error,
      boolean retryable) {
    ClusterId cluster = ClusterId.of(k.clusterId());
    long ms = Duration.between(started, Instant.now()).toMillis();
    ReconcileEvent event =
        error == null
            ? new ReconcileEvent.ReconcileSucceeded(cluster, generation, digest, actions, ms)
            : new ReconcileEvent.ReconcileFailed(
                cluster, generation, digest, actions, ms, error, retryable);
    record(k, event, started, Instant.now());
  }

  /** Appends the event and updates the cluster's last outcome, in one transaction. */
  private void record(
      ClusterSpecs.Known k, ReconcileEvent event, Instant started, Instant finished) {
    store.inTransaction(
        c -> {
          long seq = store.lastSeq(c, k.clusterId());
          List<EventEnvelope> appended =
              store.append(
                  c,
                  k.clusterId(),
                  seq,
                  List.of(event),
                  new CommandMetadata(
                      "reconciler-service", UUID.randomUUID().toString(), k.project()));
          outcome(c, event, started, finished);
          return appended;
        });
  }

  private static void outcome(Connection c, ReconcileEvent event, Instant started, Instant finished)
      throws SQLException {
    String phase;
    String digest;
    List<ObjectAction> objects = List.of();
    String error = "";
    boolean retryable = false;
    switch (event) {
      case ReconcileEvent.ReconcileStarted s -> {
        phase = "Reconciling";
        digest = s.desiredDigest();
      }
      case ReconcileEvent.ReconcileSucceeded s -> {
        phase = "Converged";
        digest = s.desiredDigest();
        objects = s.objects();
      }
      case ReconcileEvent.ReconcileFailed f -> {
        phase = "Failed";
        digest = f.desiredDigest();
        objects = f.objects();
        error = f.error();
        retryable = f.retryable();
      }
      case ReconcileEvent.DriftDetected d -> {
        return;
      }
      case ReconcileEvent.DriftCorrected d -> {
        return;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reconciliations (cluster_id, generation, phase, desired_digest, objects,"
                + " started_at, finished_at, error, retryable) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?,"
                + " ?, ?) ON CONFLICT (cluster_id) DO UPDATE SET generation = EXCLUDED.generation,"
                + " phase = EXCLUDED.phase, desired_digest = EXCLUDED.desired_digest, objects ="
                + " EXCLUDED.objects, started_at = EXCLUDED.started_at, finished_at ="
                + " EXCLUDED.finished_at, error = EXCLUDED.error, retryable = EXCLUDED.retryable")) {
      ps.setString(1, event.clusterId().value());
      ps.setLong(2, event.generation());
      ps.setString(3, phase);
      ps.setString(4, digest);
      ps.setString(5, EventJson.write(objects));
      ps.setTimestamp(6, Timestamp.from(started));
      ps.setTimestamp(7, finished == null ? null : Timestamp.from(finished));
      ps.setString(8, error);
      ps.setBoolean(9, retryable);
      ps.executeUpdate();
    }
  }
}
