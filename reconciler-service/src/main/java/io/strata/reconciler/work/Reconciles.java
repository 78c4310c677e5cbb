package io.strata.reconciler.work;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.events.ClusterId;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.ReconcileEvent;
import io.strata.events.Topics;
import io.strata.events.cluster.DriftPolicy;
import io.strata.events.reconcile.DriftedObject;
import io.strata.events.reconcile.ObjectAction;
import io.strata.events.reconcile.ObjectRef;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.eventstore.Projection;
import io.strata.kit.catalog.KnownProfiles;
import io.strata.kit.events.ProjectionConsumers;
import io.strata.reconciler.desired.Charts;
import io.strata.reconciler.desired.RenderFailure;
import io.strata.reconciler.desired.Renderer;
import io.strata.reconciler.drift.Drift;
import io.strata.reconciler.specs.ClusterSpecs;
import io.strata.reconciler.target.SimulatedClusters;
import io.strata.reconciler.target.Target;
import io.strata.reconciler.target.Targets;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final Targets targets;
  private final io.strata.reconciler.desired.SealedVariables sealed;
  private final int workers;
  private final Duration readiness;
  private final java.util.concurrent.LinkedBlockingDeque<String> queue =
      new java.util.concurrent.LinkedBlockingDeque<>();
  private final Set<String> queued = new HashSet<>();
  private final Set<String> queuedFirst = new HashSet<>();
  private final Set<String> active = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();
  private final Set<String> driftChecks = new HashSet<>();
  private final Map<String, CompletableFuture<DriftReport>> driftWaiters =
      new ConcurrentHashMap<>();
  private final Map<String, Renderer.Rendered> desiredCache;
  private final Duration driftInterval;
  private final int driftChecksPerInterval;
  private final Map<String, Long> lastDriftCheck = new ConcurrentHashMap<>();
  private final MeterRegistry meters;
  private ScheduledExecutorService pool;

  /**
   * An apply that ends within this time is recorded with its {@code ReconcileStarted} in one
   * transaction (half the commits on a large fleet); a longer one gets its Started right then.
   */
  static final Duration STARTED_GRACE = Duration.ofMillis(250);

  /** How often the periodic drift checks of an interval are fed to the queue, a share each time. */
  static final Duration DRIFT_FEED_TICK = Duration.ofMillis(250);

  /** The periodic drift checks of this interval not yet queued (guarded by this). */
  private final java.util.ArrayDeque<String> driftFeed = new java.util.ArrayDeque<>();

  private int driftFeedPerTick = 1;

  /** Applies run here, so that the worker can record Started once an apply takes a while. */
  private final ExecutorService appliers = Executors.newVirtualThreadPerTaskExecutor();

  private volatile boolean running;

  /**
   * What a drift check found: {@code clean}, {@code drifted} (reported, policy report), {@code
   * corrected}, {@code reconciled} (the cluster needed a reconcile, which re-applied everything) or
   * {@code not-converged} (drift is only checked on a converged generation).
   */
  public record DriftReport(
      String clusterId,
      long generation,
      String outcome,
      List<DriftedObject> objects,
      Instant checkedAt) {}

  Reconciles(
      EventStore store,
      ClusterSpecs specs,
      KnownProfiles profiles,
      Charts charts,
      SimulatedClusters simulated,
      Targets targets,
      io.strata.reconciler.desired.SealedVariables sealed,
      @ConfigProperty(name = "strata.reconciler.workers", defaultValue = "4") int workers,
      @ConfigProperty(name = "strata.reconciler.readiness-timeout", defaultValue = "PT30S")
          Duration readiness,
      @ConfigProperty(name = "strata.reconciler.drift-interval", defaultValue = "PT30S")
          Duration driftInterval,
      @ConfigProperty(name = "strata.reconciler.desired-cache-size", defaultValue = "2000")
          int desiredCacheSize,
      @ConfigProperty(name = "strata.reconciler.drift-checks-per-interval", defaultValue = "2000")
          int driftChecksPerInterval,
      MeterRegistry meters) {
    this.store = store;
    this.specs = specs;
    this.profiles = profiles;
    this.charts = charts;
    this.simulated = simulated;
    this.targets = targets;
    this.sealed = sealed;
    this.workers = workers;
    this.readiness = readiness;
    this.driftInterval = driftInterval;
    this.driftChecksPerInterval = driftChecksPerInterval;
    this.meters = meters;
    // drift checks re-read the desired state of converged clusters every interval; rendering it
    // again each time would cost more than the check (a generation's rendering never changes)
    this.desiredCache =
        java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Renderer.Rendered> eldest) {
                return size() > desiredCacheSize;
              }
            });
    meters.gaugeCollectionSize("strata.reconcile.queue.depth", List.of(), queue);
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
    if (!driftInterval.isZero()) {
      pool.scheduleWithFixedDelay(
          this::checkFleetForDrift,
          driftInterval.toMillis(),
          driftInterval.toMillis(),
          TimeUnit.MILLISECONDS);
      pool.scheduleWithFixedDelay(
          this::feedDriftChecks,
          DRIFT_FEED_TICK.toMillis(),
          DRIFT_FEED_TICK.toMillis(),
          TimeUnit.MILLISECONDS);
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
              enqueue(rs.getString(1), false);
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
    appliers.shutdownNow();
  }

  /**
   * Queues a cluster whose spec changed: once while it waits; while it runs, marked to run once
   * more afterwards, so its newest generation is always reconciled and never two at a time. It goes
   * ahead of routine work (resumption at start, drift checks), so a fleet's drift checks never
   * delay a change.
   */
  public void enqueue(String clusterId) {
    enqueue(clusterId, true);
  }

  private synchronized void enqueue(String clusterId, boolean change) {
    if (active.contains(clusterId)) {
      dirty.add(clusterId);
    } else if (change) {
      if (queuedFirst.add(clusterId)) {
        queued.add(clusterId);
        queue.addFirst(clusterId);
      }
    } else if (queued.add(clusterId)) {
      queue.addLast(clusterId);
    }
  }

  /** False for a second copy of a cluster already taken (moved ahead while it waited). */
  private synchronized boolean begin(String id) {
    queuedFirst.remove(id);
    return queued.remove(id) && active.add(id);
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
        id = queue.takeFirst();
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

  private boolean retryPending(String id) {
    ScheduledFuture<?> pending = retries.get(id);
    return pending != null && !pending.isDone();
  }

  private void cancelRetry(String id) {
    ScheduledFuture<?> pending = retries.remove(id);
    if (pending != null) {
      pending.cancel(false);
    }
  }

  /** Checks a cluster for drift through the queue (never while it reconciles); see the report. */
  public CompletableFuture<DriftReport> checkDrift(String clusterId) {
    CompletableFuture<DriftReport> report =
        driftWaiters.computeIfAbsent(clusterId, k -> new CompletableFuture<>());
    requestDriftCheck(clusterId, true); // someone waits for this one
    return report;
  }

  /**
   * {@code first}: someone waits for the answer, so it goes ahead. A routine check is dropped for a
   * cluster that is reconciling right now (marking it to run again would repeat its reconcile at
   * once when it ends) or that waits for its retry backoff (a check reconciles a failed generation
   * at once, ahead of its backoff and of a rollback that may be on its way).
   */
  private synchronized void requestDriftCheck(String clusterId, boolean first) {
    if (!first && (active.contains(clusterId) || retryPending(clusterId))) {
      return;
    }
    driftChecks.add(clusterId);
    enqueue(clusterId, first);
  }

  private synchronized boolean takeDriftCheck(String clusterId) {
    return driftChecks.remove(clusterId);
  }

  private void answerDriftCheck(DriftReport report) {
    CompletableFuture<DriftReport> waiter = driftWaiters.remove(report.clusterId());
    if (waiter != null) {
      waiter.complete(report);
    }
  }

  /** Every interval: each cluster converged on its newest generation gets a drift check. */
  private void checkFleetForDrift() {
    try {
      List<String> converged =
          store.inTransaction(
              c -> {
                List<String> ids = new java.util.ArrayList<>();
                try (PreparedStatement ps =
                        c.prepareStatement(
                            "SELECT r.cluster_id FROM reconciliations r JOIN cluster_specs s ON"
                                + " s.cluster_id = r.cluster_id WHERE r.phase = 'Converged' AND"
                                + " r.generation = s.generation AND NOT s.deregistered");
                    ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getString(1));
                  }
                }
                return ids;
              });
      // a bounded number per interval, least recently checked first: on a large fleet every
      // cluster is still checked, every few intervals, without re-rendering the fleet each time
      List<String> due =
          converged.stream()
              .sorted(java.util.Comparator.comparingLong(id -> lastDriftCheck.getOrDefault(id, 0L)))
              .limit(driftChecksPerInterval)
              .toList();
      long ticks = Math.max(1, driftInterval.toMillis() / DRIFT_FEED_TICK.toMillis());
      synchronized (this) {
        driftFeed.clear();
        driftFeed.addAll(due);
        driftFeedPerTick = (int) Math.max(1, (due.size() + ticks - 1) / ticks);
      }
    } catch (RuntimeException e) {
      LOG.warnf("periodic drift check could not list clusters: %s", e);
    }
  }

  /**
   * Queues the next share of this interval's drift checks, spread over the interval: 2,000 checks
   * queued at once took the machine from everything else for seconds on a large fleet. None while
   * the queue is busy (a fleet change): routine checks wait for it.
   */
  private synchronized void feedDriftChecks() {
    if (queue.size() >= workers) {
      return;
    }
    for (int i = 0; i < driftFeedPerTick && !driftFeed.isEmpty(); i++) {
      requestDriftCheck(driftFeed.pollFirst(), false);
    }
  }

  /** The last recorded outcome of a cluster's reconciles. */
  private record LastOutcome(long generation, String phase, boolean retryable, String drift) {
    /** Converged, or failed for good, at this generation. */
    boolean done(long current) {
      return generation == current
          && (phase.equals("Converged") || (phase.equals("Failed") && !retryable));
    }
  }

  private static Optional<LastOutcome> lastOutcome(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT generation, phase, retryable, drift FROM reconciliations WHERE cluster_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new LastOutcome(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)))
            : Optional.empty();
      }
    }
  }

  /** What a reconcile starts from: the cluster's spec and its last outcome, read together. */
  private record Situation(ClusterSpecs.Known known, Optional<LastOutcome> last) {}

  private void reconcile(String id) {
    ClusterId cluster = ClusterId.of(id);
    Instant started = Instant.now();
    boolean driftCheck = takeDriftCheck(id);
    Optional<Situation> situation =
        store.inTransaction(
            c -> {
              Optional<ClusterSpecs.Known> found = specs.find(c, id);
              return found.isEmpty()
                  ? Optional.<Situation>empty()
                  : Optional.of(new Situation(found.get(), lastOutcome(c, id)));
            });
    if (situation.isEmpty()) {
      return;
    }
    ClusterSpecs.Known k = situation.get().known();
    if (k.deregistered()) {
      desiredCache.remove(id);
      lastDriftCheck.remove(id);
      if (k.prune()) {
        try {
          targets.of(k).prune(cluster);
        } catch (Target.TargetFailure f) {
          LOG.warnf("pruning deregistered cluster %s failed: %s", id, f.getMessage());
          if (f.retryable()) {
            retry(id, k.spec().generation());
          }
        }
      }
      return;
    }
    long generation = k.spec().generation();
    Optional<LastOutcome> last = situation.get().last();
    if (last.isPresent()
        && last.get().done(generation)
        && (!k.targetKind().equals("simulated") || simulated.applied(cluster) == generation)) {
      if (driftCheck) {
        if (last.get().phase().equals("Converged")) {
          checkDrift(k, last.get());
        } else {
          answerDriftCheck(
              new DriftReport(id, generation, "not-converged", List.of(), Instant.now()));
        }
      }
      return;
    }
    Renderer.Rendered rendered;
    try {
      rendered = desired(cluster, k);
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
    ReconcileEvent.ReconcileStarted start =
        new ReconcileEvent.ReconcileStarted(cluster, generation, rendered.digest());
    Target target = targets.of(k);
    long applying = System.nanoTime();
    Future<List<ObjectAction>> apply =
        appliers.submit(() -> target.apply(cluster, rendered.objects(), readiness));
    List<ReconcileEvent> unrecorded = List.of(start);
    try {
      List<ObjectAction> actions;
      try {
        actions = apply.get(STARTED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException slow) {
        // the cluster shows Reconciling while a slow apply (readiness, a far API server) runs
        record(k, List.of(start), started, null);
        unrecorded = List.of();
        actions = apply.get();
      }
      phase("apply", k, applying);
      finish(k, unrecorded, generation, rendered.digest(), actions, started, null, false);
      attempts.keySet().removeIf(key -> key.startsWith(id + "#"));
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof Target.TargetFailure f)) {
        // as if the apply had run on this thread: the worker logs it and retries
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("apply to " + id + " failed", e.getCause());
      }
      finish(
          k,
          unrecorded,
          generation,
          rendered.digest(),
          f.actions(),
          started,
          f.getMessage(),
          f.retryable());
      if (f.retryable()) {
        retry(id, generation);
      }
    } catch (InterruptedException e) {
      apply.cancel(true);
      Thread.currentThread().interrupt();
      return;
    }
    if (driftCheck) {
      answerDriftCheck(new DriftReport(id, generation, "reconciled", List.of(), Instant.now()));
    }
  }

  /** The desired state of the cluster's current generation; no transaction is held meanwhile. */
  private Renderer.Rendered desired(ClusterId cluster, ClusterSpecs.Known k) throws RenderFailure {
    Renderer.Rendered cached = desiredCache.get(k.clusterId());
    if (cached != null && cached.generation() == k.spec().generation()) {
      return cached;
    }
    long start = System.nanoTime();
    Renderer.Rendered rendered =
        Renderer.render(cluster, k.spec(), profiles.catalog(), charts, sealed.of(cluster));
    phase("render", k, start);
    desiredCache.put(k.clusterId(), rendered);
    return rendered;
  }

  /**
   * Compares the live objects of a converged cluster with its desired state. A finding is reported
   * once ({@code DriftDetected}); policy {@code correct} re-applies at once ({@code
   * DriftCorrected}); drift that went away by itself is closed with an empty correction.
   */
  private void checkDrift(ClusterSpecs.Known k, LastOutcome last) {
    ClusterId cluster = ClusterId.of(k.clusterId());
    long generation = k.spec().generation();
    Target target = targets.of(k);
    String kind = k.targetKind();
    Instant started = Instant.now();
    Renderer.Rendered rendered;
    List<DriftedObject> drifted;
    try {
      rendered = desired(cluster, k);
      drifted = Drift.drifted(rendered.objects(), target.live(cluster, rendered.objects()));
    } catch (RenderFailure | Target.TargetFailure e) {
      LOG.warnf("drift check of %s skipped: %s", k.clusterId(), e.getMessage());
      answerDriftCheck(
          new DriftReport(k.clusterId(), generation, "not-converged", List.of(), started));
      return;
    }
    meters.counter("strata.drift.checks", "target", kind).increment();
    lastDriftCheck.put(k.clusterId(), System.currentTimeMillis());
    List<DriftedObject> before = EventJson.readList(last.drift(), DriftedObject.class);
    if (drifted.isEmpty()) {
      if (!before.isEmpty()) {
        record(
            k,
            new ReconcileEvent.DriftCorrected(
                cluster, generation, before.stream().map(DriftedObject::object).toList()),
            started,
            Instant.now());
      }
      answerDriftCheck(new DriftReport(k.clusterId(), generation, "clean", List.of(), started));
      return;
    }
    boolean correct = k.driftPolicy() == DriftPolicy.CORRECT;
    if (correct || !drifted.equals(before)) {
      meters.counter("strata.drift.found", "target", kind).increment();
      record(
          k,
          new ReconcileEvent.DriftDetected(cluster, generation, drifted, correct),
          started,
          null);
    }
    if (!correct) {
      answerDriftCheck(new DriftReport(k.clusterId(), generation, "drifted", drifted, started));
      return;
    }
    try {
      target.apply(cluster, rendered.objects(), readiness);
      List<ObjectRef> refs = drifted.stream().map(DriftedObject::object).toList();
      record(
          k, new ReconcileEvent.DriftCorrected(cluster, generation, refs), started, Instant.now());
      meters.counter("strata.drift.corrected", "target", kind).increment();
      answerDriftCheck(new DriftReport(k.clusterId(), generation, "corrected", drifted, started));
    } catch (Target.TargetFailure f) {
      finish(
          k,
          generation,
          rendered.digest(),
          f.actions(),
          started,
          "correcting drift failed: " + f.getMessage(),
          f.retryable());
      if (f.retryable()) {
        retry(k.clusterId(), generation);
      }
      answerDriftCheck(new DriftReport(k.clusterId(), generation, "drifted", drifted, started));
    }
  }

  private void finish(
      ClusterSpecs.Known k,
      long generation,
      String digest,
      List<ObjectAction> actions,
      Instant started,
      String error,
      boolean retryable) {
    finish(k, List.of(), generation, digest, actions, started, error, retryable);
  }

  /** Records the outcome, after {@code before} (events of this reconcile not yet recorded). */
  private void finish(
      ClusterSpecs.Known k,
      List<ReconcileEvent> before,
      long generation,
      String digest,
      List<ObjectAction> actions,
      Instant started,
      String error,
      boolean retryable) {
    ClusterId cluster = ClusterId.of(k.clusterId());
    long ms = Duration.between(started, Instant.now()).toMillis();
    meters
        .counter(
            "strata.reconciles",
            "outcome",
            error == null ? "converged" : "failed",
            "target",
            k.targetKind())
        .increment();
    Timer.builder("strata.reconcile.duration")
        .tag("target", k.targetKind())
        .publishPercentileHistogram()
        .register(meters)
        .record(Duration.ofMillis(ms));
    ReconcileEvent event =
        error == null
            ? new ReconcileEvent.ReconcileSucceeded(cluster, generation, digest, actions, ms)
            : new ReconcileEvent.ReconcileFailed(
                cluster, generation, digest, actions, ms, error, retryable);
    List<ReconcileEvent> events = new java.util.ArrayList<>(before);
    events.add(event);
    record(k, events, started, Instant.now());
  }

  private void record(
      ClusterSpecs.Known k, ReconcileEvent event, Instant started, Instant finished) {
    record(k, List.of(event), started, finished);
  }

  /** Appends the events and updates the cluster's last outcome, in one transaction. */
  private void record(
      ClusterSpecs.Known k, List<ReconcileEvent> events, Instant started, Instant finished) {
    long start = System.nanoTime();
    store.inTransaction(
        c -> {
          long seq = store.lastSeq(c, k.clusterId());
          List<EventEnvelope> appended =
              store.append(
                  c,
                  k.clusterId(),
                  seq,
                  events,
                  new CommandMetadata(
                      "reconciler-service", UUID.randomUUID().toString(), k.project()));
          // Started and its outcome together: the outcome's row replaces Started's anyway
          outcome(c, events.getLast(), started, finished);
          return appended;
        });
    phase("record", k, start);
  }

  /** Where reconcile time goes: rendering, the target's apply (with readiness), the events. */
  private void phase(String phase, ClusterSpecs.Known k, long startNanos) {
    Timer.builder("strata.reconcile.phase")
        .tag("phase", phase)
        .tag("target", k.targetKind())
        .register(meters)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private static void drift(Connection c, ClusterId cluster, String drift, Instant checked)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE reconciliations SET drift = ?, drift_checked_at = ? WHERE cluster_id"
                + " = ?")) {
      ps.setString(1, drift);
      ps.setTimestamp(2, Timestamp.from(checked));
      ps.setString(3, cluster.value());
      ps.executeUpdate();
    }
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
        drift(c, d.clusterId(), EventJson.write(d.objects()), started);
        return;
      }
      case ReconcileEvent.DriftCorrected d -> {
        drift(c, d.clusterId(), "[]", started);
        return;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reconciliations (cluster_id, generation, phase, desired_digest, objects,"
                + " started_at, finished_at, error, retryable) VALUES (?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?) ON CONFLICT (cluster_id) DO UPDATE SET generation = EXCLUDED.generation,"
                + " phase = EXCLUDED.phase, desired_digest = EXCLUDED.desired_digest, objects ="
                + " EXCLUDED.objects, started_at = EXCLUDED.started_at, finished_at ="
                + " EXCLUDED.finished_at, error = EXCLUDED.error, retryable = EXCLUDED.retryable,"
                + " drift = '[]'")) {
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
