package io.strata.audit.compliance;

import io.strata.audit.timeline.ClusterHistory;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterPhase;
import io.strata.events.cluster.LayerOverride;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The compliance view, pure: from the clusters' folded states, what the profile projections say of
 * each attached version, and the changes per actor. Pending updates are computed against the newest
 * revision known, so an in-place update shows on every cluster on it at once.
 */
public final class Compliance {
  private Compliance() {}

  /** What the profile projection knows of one version. */
  public record VersionFacts(int latestRevision, boolean deprecated) {}

  public record Counts(
      long clusters,
      long converged,
      long failed,
      long drifted,
      long pendingUpdates,
      long withOverrides,
      long onDeprecatedVersions) {}

  public record ClusterRow(
      String clusterId,
      String name,
      String project,
      String phase,
      long generation,
      long lastConvergedGeneration,
      boolean drifted,
      long driftCount,
      long failures,
      List<String> pendingUpdates,
      List<String> overrides,
      List<String> deprecatedVersions,
      long recoveries,
      Optional<Long> meanTimeToRecoveryMs) {}

  public record ActorCount(String actor, long changes) {}

  public record Recovery(long recoveries, Optional<Long> meanMillis) {}

  public record Report(
      Counts counts,
      Map<String, Long> byPhase,
      List<ClusterRow> clusters,
      List<ActorCount> changesPerActor,
      Recovery timeToRecovery) {}

  public static String key(AttachedProfile p) {
    return p.profileId().value() + "@" + p.version();
  }

  public static Report compute(
      List<ClusterHistory.State> states,
      Map<String, VersionFacts> versions,
      Map<String, Long> actorChanges) {
    Map<String, Long> byPhase = new LinkedHashMap<>();
    for (ClusterPhase p : ClusterPhase.values()) {
      byPhase.put(p.name(), 0L);
    }
    List<ClusterRow> rows = new ArrayList<>();
    long recoveries = 0;
    long recoveryMillis = 0;
    for (ClusterHistory.State s : states) {
      if (s.deregistered()) {
        continue;
      }
      byPhase.merge(s.phase().name(), 1L, Long::sum);
      List<String> pending = new ArrayList<>();
      List<String> deprecated = new ArrayList<>();
      for (AttachedProfile p : s.profiles()) {
        VersionFacts f = versions.get(key(p));
        if (f == null) {
          continue;
        }
        if (f.latestRevision() > p.revision()) {
          pending.add(p.name() + " " + p.version() + " " + p.revision() + "→" + f.latestRevision());
        }
        if (f.deprecated()) {
          deprecated.add(p.name() + " " + p.version());
        }
      }
      Map<String, String> names = new java.util.HashMap<>();
      s.profiles().forEach(p -> names.put(p.profileId().value(), p.name()));
      List<String> overrides = s.overrides().stream().map(o -> overrideLabel(o, names)).toList();
      recoveries += s.recoveries();
      recoveryMillis += s.recoveryMillis();
      rows.add(
          new ClusterRow(
              s.clusterId(),
              s.name(),
              s.project(),
              s.phase().name(),
              s.generation(),
              s.lastConvergedGeneration(),
              s.drifted(),
              s.driftCount(),
              s.failures(),
              pending,
              overrides,
              deprecated,
              s.recoveries(),
              s.recoveries() == 0
                  ? Optional.empty()
                  : Optional.of(s.recoveryMillis() / s.recoveries())));
    }
    Counts counts =
        new Counts(
            rows.size(),
            byPhase.get(ClusterPhase.Converged.name()),
            byPhase.get(ClusterPhase.Failed.name()),
            rows.stream().filter(ClusterRow::drifted).count(),
            rows.stream().filter(r -> !r.pendingUpdates().isEmpty()).count(),
            rows.stream().filter(r -> !r.overrides().isEmpty()).count(),
            rows.stream().filter(r -> !r.deprecatedVersions().isEmpty()).count());
    List<ActorCount> actors =
        actorChanges.entrySet().stream()
            .map(e -> new ActorCount(e.getKey(), e.getValue()))
            .sorted(
                Comparator.comparingLong(ActorCount::changes)
                    .reversed()
                    .thenComparing(ActorCount::actor))
            .toList();
    return new Report(
        counts,
        byPhase,
        rows,
        actors,
        new Recovery(
            recoveries,
            recoveries == 0 ? Optional.empty() : Optional.of(recoveryMillis / recoveries)));
  }

  /** {@code profile/layer}, by the profile's name where the cluster's spec names it. */
  static String overrideLabel(LayerOverride o, Map<String, String> names) {
    return names.getOrDefault(o.profileId().value(), o.profileId().value()) + "/" + o.layer();
  }
}
