package io.strata.cluster.registry;

import io.strata.cluster.domain.Overrides;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ManifestPatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A cluster as the API shows it: never a kubeconfig, never a sensitive value. */
public record ClusterView(
    String id,
    String name,
    String project,
    Map<String, String> labels,
    Target target,
    long generation,
    Spec spec,
    Status status,
    List<Pending> pendingUpdates,
    List<Available> availableVersions,
    List<Overrides.Conflict> conflicts,
    Instant createdAt,
    Instant updatedAt) {

  /** {@code credentials} is {@code stored} when a kubeconfig is held (encrypted), else absent. */
  public record Target(String kind, String credentials, String driftPolicy) {}

  public record Spec(
      long generation,
      List<AttachedProfile> profiles,
      Map<String, String> variables,
      List<Override> overrides) {}

  public record Override(
      ProfileId profileId,
      String layer,
      String values,
      List<ManifestPatch> patches,
      Semver baseVersion,
      int baseRevision) {}

  public record Status(
      String phase,
      long observedGeneration,
      long lastConvergedGeneration,
      String message,
      Instant updatedAt) {}

  /** A newer revision of an attached version, and what it would conflict with. */
  public record Pending(
      ProfileId profileId,
      String name,
      Semver version,
      int fromRevision,
      int toRevision,
      List<Overrides.Conflict> conflicts) {}

  /** A newer version of an attached profile. */
  public record Available(ProfileId profileId, String name, Semver version, boolean deprecated) {}
}
