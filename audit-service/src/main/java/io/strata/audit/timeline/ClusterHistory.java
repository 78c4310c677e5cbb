package io.strata.audit.timeline;

import io.strata.audit.projection.Logged;
import io.strata.events.ClusterEvent;
import io.strata.events.DomainEvent;
import io.strata.events.ReconcileEvent;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterPhase;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history of one cluster as a pure fold: {@code evolve(state, event) -> step}. A step is the
 * new state, the timeline entry the event makes, and the spec generation it records (if any). The
 * phase follows the reconciler's outcomes for the newest generation, so it is right even before
 * anyone publishes a ClusterStatusChanged.
 */
public final class ClusterHistory {
  private ClusterHistory() {}

  /** What the audit service knows of a cluster now. */
  public record State(
      String clusterId,
      String name,
      String project,
      long generation,
      ClusterPhase phase,
      long observedGeneration,
      long lastConvergedGeneration,
      boolean drifted,
      long driftCount,
      long failures,
      Optional<Instant> failingSince,
      long recoveries,
      long recoveryMillis,
      boolean deregistered,
      List<AttachedProfile> profiles,
      List<LayerOverride> overrides,
      Instant lastAt,
      long lastSeq) {
    public State {
      lastAt = lastAt == null ? Instant.EPOCH : lastAt;
      profiles = profiles == null ? List.of() : List.copyOf(profiles);
      overrides = overrides == null ? List.of() : List.copyOf(overrides);
      failingSince = failingSince == null ? Optional.empty() : failingSince;
    }

    /** Before its first event: a reconcile outcome may be logged before the registration. */
    public static State unknown(String clusterId, String project) {
      return new State(
          clusterId,
          "",
          project,
          0,
          ClusterPhase.Pending,
          0,
          0,
          false,
          0,
          0,
          Optional.empty(),
          0,
          0,
          false,
          List.of(),
          List.of(),
          Instant.EPOCH,
          0);
    }

    State withSpec(ClusterSpec spec) {
      return with(
          c -> {
            c.generation = spec.generation();
            c.phase = phaseOfNew(spec.generation());
            c.profiles = spec.profiles();
            c.overrides = spec.overrides();
          });
    }

    /**
     * The topics are consumed side by side, so the reconciler's outcome for a generation can be
     * logged before the spec change that made it: a new generation already converged (or failed)
     * takes that phase, otherwise it waits for the reconciler.
     */
    private ClusterPhase phaseOfNew(long g) {
      if (g <= lastConvergedGeneration) {
        return g == generation ? phase : ClusterPhase.Converged;
      }
      if (g <= observedGeneration && failingSince.isPresent()) {
        return ClusterPhase.Failed;
      }
      return ClusterPhase.Pending;
    }

    /** Without the spec's lists: what a timeline row keeps (the spec rows hold the lists). */
    public State withoutSpecLists() {
      return withSpecLists(List.of(), List.of());
    }

    public State withSpecLists(List<AttachedProfile> p, List<LayerOverride> o) {
      return with(
          c -> {
            c.profiles = p;
            c.overrides = o;
          });
    }

    State folded(Logged at) {
      return with(
          c -> {
            c.lastAt = at.time().isAfter(lastAt) ? at.time() : lastAt;
            c.lastSeq = Math.max(lastSeq, at.seq());
          });
    }

    State withPhase(ClusterPhase p, long observed, long converged, boolean drift) {
      return with(
          c -> {
            c.phase = p;
            c.observedGeneration = observed;
            c.lastConvergedGeneration = converged;
            c.drifted = drift;
          });
    }

    /** A copy with some fields changed: most steps change two or three of the eighteen. */
    State with(java.util.function.Consumer<Copy> change) {
      Copy c = new Copy(this);
      change.accept(c);
      return c.build();
    }
  }

  /** The fields of a {@link State}, to change a few and build the next one. */
  static final class Copy {
    String clusterId;
    String name;
    String project;
    long generation;
    ClusterPhase phase;
    long observedGeneration;
    long lastConvergedGeneration;
    boolean drifted;
    long driftCount;
    long failures;
    Optional<Instant> failingSince;
    long recoveries;
    long recoveryMillis;
    boolean deregistered;
    List<AttachedProfile> profiles;
    List<LayerOverride> overrides;
    Instant lastAt;
    long lastSeq;

    Copy(State s) {
      clusterId = s.clusterId();
      name = s.name();
      project = s.project();
      generation = s.generation();
      phase = s.phase();
      observedGeneration = s.observedGeneration();
      lastConvergedGeneration = s.lastConvergedGeneration();
      drifted = s.drifted();
      driftCount = s.driftCount();
      failures = s.failures();
      failingSince = s.failingSince();
      recoveries = s.recoveries();
      recoveryMillis = s.recoveryMillis();
      deregistered = s.deregistered();
      profiles = s.profiles();
      overrides = s.overrides();
      lastAt = s.lastAt();
      lastSeq = s.lastSeq();
    }

    State build() {
      return new State(
          clusterId,
          name,
          project,
          generation,
          phase,
          observedGeneration,
          lastConvergedGeneration,
          drifted,
          driftCount,
          failures,
          failingSince,
          recoveries,
          recoveryMillis,
          deregistered,
          profiles,
          overrides,
          lastAt,
          lastSeq);
    }
  }

  public enum Kind {
    REGISTERED("registered"),
    SPEC_CHANGED("spec-changed"),
    ROLLED_BACK("rolled-back"),
    PENDING_UPDATE("pending-update"),
    DEREGISTERED("deregistered"),
    STATUS("status"),
    RECONCILE_STARTED("reconcile-started"),
    RECONCILE_SUCCEEDED("reconcile-succeeded"),
    RECONCILE_FAILED("reconcile-failed"),
    DRIFT_DETECTED("drift-detected"),
    DRIFT_CORRECTED("drift-corrected"),
    OTHER("other");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One line of the timeline; {@code detail} is what the event adds to the line. */
  public record Entry(Kind kind, long generation, String reason, Map<String, Object> detail) {}

  /** A spec generation that came into force with this event. */
  public record SpecChange(long generation, String reason, ClusterSpec spec) {}

  public record Step(State state, Entry entry, Optional<SpecChange> spec) {}

  public static boolean concerns(DomainEvent e) {
    return e instanceof ClusterEvent || e instanceof ReconcileEvent;
  }

  /**
   * Whether {@code at} happened before the newest step already folded: the history must then be
   * folded again in the order things happened (see {@link ClusterProjection}).
   */
  public static boolean isLate(State s, Logged at) {
    return at.time().isBefore(s.lastAt());
  }

  public static Step evolve(State s, Logged at) {
    Step step =
        switch (at.event()) {
          case ClusterEvent e -> cluster(s, at, e);
          case ReconcileEvent e -> reconcile(s, at, e);
          default -> throw new IllegalArgumentException("not a cluster event: " + at.event());
        };
    return new Step(step.state().folded(at), step.entry(), step.spec());
  }

  private static Step cluster(State s, Logged at, ClusterEvent event) {
    // default, not exhaustive: the cluster contract grows (drift policies, ...) and an event this
    // build does not chart must still appear, named, in the cluster's timeline
    return switch (event) {
      case ClusterEvent.ClusterRegistered e -> {
        State named =
            s.with(
                c -> {
                  c.name = e.name();
                  c.project = e.project();
                  c.deregistered = false;
                });
        yield specStep(
            named,
            Kind.REGISTERED,
            e.spec(),
            "register",
            Map.of("name", e.name(), "labels", e.labels()));
      }
      case ClusterEvent.ClusterProfilesAttached e ->
          specStep(s, Kind.SPEC_CHANGED, e.spec(), e.reason(), Map.of());
      case ClusterEvent.ClusterVariablesSet e ->
          specStep(
              s,
              Kind.SPEC_CHANGED,
              e.spec(),
              "variables",
              Map.of("variables", e.spec().variables().keySet()));
      case ClusterEvent.ClusterOverrideSet e ->
          specStep(
              s,
              Kind.SPEC_CHANGED,
              e.spec(),
              "override " + e.override().layer(),
              Map.of("profileId", e.override().profileId().value(), "layer", e.override().layer()));
      case ClusterEvent.ClusterOverrideRemoved e ->
          specStep(
              s,
              Kind.SPEC_CHANGED,
              e.spec(),
              "override removed " + e.layer(),
              Map.of("profileId", e.profileId().value(), "layer", e.layer()));
      case ClusterEvent.ClusterUpdatesApplied e ->
          specStep(
              s,
              Kind.SPEC_CHANGED,
              e.spec(),
              "apply pending updates",
              Map.of(
                  "applied",
                  e.applied().stream()
                      .map(
                          u ->
                              u.profileId().value()
                                  + " "
                                  + u.version()
                                  + " "
                                  + u.fromRevision()
                                  + "→"
                                  + u.toRevision())
                      .toList()));
      case ClusterEvent.ClusterRolledBack e ->
          specStep(
              s,
              Kind.ROLLED_BACK,
              e.spec(),
              "rollback to generation " + e.restoredGeneration(),
              Map.of("restoredGeneration", e.restoredGeneration()));
      case ClusterEvent.ClusterPendingUpdateDetected e ->
          new Step(
              s,
              new Entry(
                  Kind.PENDING_UPDATE,
                  s.generation(),
                  "revision " + e.update().toRevision() + " of " + e.update().version(),
                  Map.of(
                      "profileId", e.update().profileId().value(),
                      "version", e.update().version().toString(),
                      "fromRevision", e.update().fromRevision(),
                      "toRevision", e.update().toRevision())),
              Optional.empty());
      case ClusterEvent.ClusterDeregistered e -> {
        State gone = s.with(c -> c.deregistered = true);
        yield new Step(
            gone,
            new Entry(
                Kind.DEREGISTERED,
                s.generation(),
                e.prune() ? "deregister and prune" : "deregister",
                Map.of("prune", e.prune())),
            Optional.empty());
      }
      case ClusterEvent.ClusterStatusChanged e -> {
        State next =
            s.withPhase(
                e.phase(),
                e.observedGeneration(),
                e.lastConvergedGeneration(),
                e.phase() == ClusterPhase.Drifted);
        yield new Step(
            next,
            new Entry(
                Kind.STATUS,
                e.observedGeneration(),
                e.message(),
                Map.of("phase", e.phase().name())),
            Optional.empty());
      }
      default ->
          new Step(
              s,
              new Entry(
                  Kind.OTHER,
                  s.generation(),
                  event.getClass().getSimpleName(),
                  Map.of("event", event.getClass().getSimpleName())),
              Optional.empty());
    };
  }

  private static Step specStep(
      State s, Kind kind, ClusterSpec spec, String reason, Map<String, ?> detail) {
    State next = s.withSpec(spec);
    Map<String, Object> d = new LinkedHashMap<>(detail);
    d.put("profiles", profileLabels(spec));
    return new Step(
        next,
        new Entry(kind, spec.generation(), reason, d),
        Optional.of(new SpecChange(spec.generation(), reason, spec)));
  }

  private static List<String> profileLabels(ClusterSpec spec) {
    return spec.profiles().stream()
        .map(p -> p.name() + " " + p.version() + "@" + p.revision())
        .toList();
  }

  private static Step reconcile(State s, Logged at, ReconcileEvent event) {
    // ahead of the spec we know: its spec change is on the other topic and will follow
    boolean current = event.generation() >= s.generation();
    return switch (event) {
      case ReconcileEvent.ReconcileStarted e ->
          new Step(
              current
                  ? s.withPhase(
                      ClusterPhase.Reconciling,
                      s.observedGeneration(),
                      s.lastConvergedGeneration(),
                      s.drifted())
                  : s,
              new Entry(
                  Kind.RECONCILE_STARTED, e.generation(), "", Map.of("digest", e.desiredDigest())),
              Optional.empty());
      case ReconcileEvent.ReconcileSucceeded e -> {
        State next = s;
        if (current) {
          next =
              recovered(s, at.time())
                  .withPhase(ClusterPhase.Converged, e.generation(), e.generation(), false);
        } else {
          next =
              s.withPhase(
                  s.phase(),
                  Math.max(s.observedGeneration(), e.generation()),
                  Math.max(s.lastConvergedGeneration(), e.generation()),
                  s.drifted());
        }
        yield new Step(
            next,
            new Entry(
                Kind.RECONCILE_SUCCEEDED,
                e.generation(),
                "",
                Map.of("durationMs", e.durationMs(), "objects", e.objects().size())),
            Optional.empty());
      }
      case ReconcileEvent.ReconcileFailed e -> {
        State failing =
            s.with(
                c -> {
                  c.phase = current ? ClusterPhase.Failed : s.phase();
                  c.observedGeneration = Math.max(s.observedGeneration(), e.generation());
                  c.failures = s.failures() + 1;
                  c.failingSince =
                      current
                          ? s.failingSince().or(() -> Optional.of(at.time()))
                          : s.failingSince();
                });
        yield new Step(
            failing,
            new Entry(
                Kind.RECONCILE_FAILED,
                e.generation(),
                e.error(),
                Map.of("retryable", e.retryable(), "durationMs", e.durationMs())),
            Optional.empty());
      }
      case ReconcileEvent.DriftDetected e -> {
        State drifted =
            s.with(
                c -> {
                  c.phase = ClusterPhase.Drifted;
                  c.drifted = true;
                  c.driftCount = s.driftCount() + 1;
                });
        yield new Step(
            drifted,
            new Entry(
                Kind.DRIFT_DETECTED,
                e.generation(),
                e.corrected() ? "drift, being corrected" : "drift, reported",
                Map.of(
                    "objects",
                    e.objects().stream()
                        .map(
                            o ->
                                o.object().kind()
                                    + "/"
                                    + o.object().name()
                                    + (o.missing()
                                        ? " missing"
                                        : " " + String.join(",", o.paths())))
                        .toList())),
            Optional.empty());
      }
      case ReconcileEvent.DriftCorrected e ->
          new Step(
              s.withPhase(
                  s.generation() == s.lastConvergedGeneration()
                      ? ClusterPhase.Converged
                      : s.phase(),
                  s.observedGeneration(),
                  s.lastConvergedGeneration(),
                  false),
              new Entry(
                  Kind.DRIFT_CORRECTED, e.generation(), "", Map.of("objects", e.objects().size())),
              Optional.empty());
    };
  }

  /** A success after failures closes the outage: one recovery of {@code time - failingSince}. */
  private static State recovered(State s, Instant time) {
    if (s.failingSince().isEmpty()) {
      return s;
    }
    long millis = Math.max(0, Duration.between(s.failingSince().get(), time).toMillis());
    return s.with(
        c -> {
          c.failingSince = Optional.empty();
          c.recoveries = s.recoveries() + 1;
          c.recoveryMillis = s.recoveryMillis() + millis;
        });
  }
}
