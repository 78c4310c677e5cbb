package io.strata.cluster.domain;

import io.strata.events.ClusterId;
import io.strata.events.cluster.ClusterTarget;
import io.strata.events.cluster.DriftPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** What an operator can ask of a cluster. Each becomes zero or more events, or a rejection. */
public sealed interface ClusterCommand {

  /** One requested attachment; {@code revision} empty = keep the attached one, else the newest. */
  record ProfileRequest(String profile, String version, Optional<Integer> revision) {}

  /**
   * A manifest patch: an RFC 7386 merge patch for the object {@code kind}/{@code name} (and {@code
   * namespace} when given).
   */
  record Patch(String kind, String name, String namespace, Map<String, Object> patch) {
    public Patch {
      namespace = namespace == null ? "" : namespace;
      patch = patch == null ? Map.of() : patch;
    }
  }

  record Register(
      ClusterId id,
      String name,
      String project,
      Map<String, String> labels,
      ClusterTarget target,
      DriftPolicy driftPolicy,
      List<ProfileRequest> profiles,
      Map<String, String> variables)
      implements ClusterCommand {}

  /** How the reconciler treats drift on this cluster: correct it, or only report it. */
  record SetDriftPolicy(DriftPolicy policy) implements ClusterCommand {}

  /**
   * The profiles a cluster runs. {@code merge}: the listed profiles replace the attached ones of
   * the same id (and an infra/full one replaces the attached infra/full one); the others stay —
   * what a bulk attach by selector does. Otherwise the list is the whole new list. {@code
   * variables} are set with it (a new version may need a new variable).
   */
  record AttachProfiles(
      List<ProfileRequest> profiles,
      Map<String, String> variables,
      boolean acceptConflicts,
      boolean merge)
      implements ClusterCommand {}

  /** Sets the given variables; a {@code null} value removes one. */
  record SetVariables(Map<String, String> variables) implements ClusterCommand {}

  record SetOverride(String profile, String layer, String values, List<Patch> patches)
      implements ClusterCommand {}

  record RemoveOverride(String profile, String layer) implements ClusterCommand {}

  /** Takes every pending update; {@code variables} are set with it (a revision may add one). */
  record ApplyPendingUpdates(boolean acceptConflicts, Map<String, String> variables)
      implements ClusterCommand {}

  record Rollback(OptionalLong toGeneration) implements ClusterCommand {}

  record Deregister(boolean prune) implements ClusterCommand {}

  /** Optional optimistic concurrency: the generation the caller read. */
  record Expecting(OptionalLong generation) {
    public static Expecting any() {
      return new Expecting(OptionalLong.empty());
    }
  }
}
