package io.strata.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.strata.events.DomainEvent;
import io.strata.events.EventJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Events for tests, built from their published JSON rather than constructors: the contract grows
 * fields while this service is built against it, and JSON is what the audit service reads anyway.
 */
public final class Fixtures {
  private Fixtures() {}

  public static DomainEvent event(String type, Map<String, ?> data) {
    try {
      return EventJson.fromBytes(type, EventJson.mapper().writeValueAsBytes(data));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  public static Map<String, Object> attached(
      String profileId, String name, String version, int rev) {
    return map("profileId", profileId, "name", name, "version", version, "revision", rev);
  }

  public static Map<String, Object> override(String profileId, String layer, String values) {
    return map(
        "profileId",
        profileId,
        "layer",
        layer,
        "values",
        values,
        "patches",
        List.of(),
        "baseVersion",
        "1.0.0",
        "baseRevision",
        1);
  }

  public static Map<String, Object> spec(
      long generation, List<?> profiles, Map<String, String> variables, List<?> overrides) {
    return map(
        "generation",
        generation,
        "profiles",
        profiles,
        "variables",
        variables,
        "overrides",
        overrides);
  }

  public static DomainEvent registered(
      String clusterId, String name, String project, Map<String, Object> spec) {
    return event(
        "io.strata.cluster.ClusterRegistered.v1",
        map(
            "clusterId",
            clusterId,
            "name",
            name,
            "labels",
            Map.of("env", "test"),
            "target",
            map("kind", "simulated", "credentialsRef", ""),
            "spec",
            spec,
            "project",
            project));
  }

  public static DomainEvent profilesAttached(
      String clusterId, Map<String, Object> spec, String reason) {
    return event(
        "io.strata.cluster.ClusterProfilesAttached.v1",
        map("clusterId", clusterId, "spec", spec, "reason", reason));
  }

  public static DomainEvent overrideSet(
      String clusterId, Map<String, Object> override, Map<String, Object> spec) {
    return event(
        "io.strata.cluster.ClusterOverrideSet.v1",
        map("clusterId", clusterId, "override", override, "spec", spec));
  }

  public static DomainEvent rolledBack(String clusterId, Map<String, Object> spec, long restored) {
    return event(
        "io.strata.cluster.ClusterRolledBack.v1",
        map("clusterId", clusterId, "spec", spec, "restoredGeneration", restored));
  }

  public static DomainEvent started(String clusterId, long generation) {
    return event(
        "io.strata.reconcile.ReconcileStarted.v1",
        map(
            "clusterId",
            clusterId,
            "generation",
            generation,
            "desiredDigest",
            "sha256:d" + generation));
  }

  public static DomainEvent succeeded(String clusterId, long generation) {
    return event(
        "io.strata.reconcile.ReconcileSucceeded.v1",
        map(
            "clusterId",
            clusterId,
            "generation",
            generation,
            "desiredDigest",
            "sha256:d" + generation,
            "objects",
            List.of(),
            "durationMs",
            12));
  }

  public static DomainEvent failed(String clusterId, long generation, String error) {
    return event(
        "io.strata.reconcile.ReconcileFailed.v1",
        map(
            "clusterId",
            clusterId,
            "generation",
            generation,
            "desiredDigest",
            "sha256:d" + generation,
            "objects",
            List.of(),
            "durationMs",
            30,
            "error",
            error,
            "retryable",
            true));
  }

  public static DomainEvent driftDetected(String clusterId, long generation) {
    return event(
        "io.strata.reconcile.DriftDetected.v1",
        map(
            "clusterId",
            clusterId,
            "generation",
            generation,
            "corrected",
            false,
            "objects",
            List.of(
                map(
                    "object",
                    map(
                        "apiVersion",
                        "apps/v1",
                        "kind",
                        "Deployment",
                        "namespace",
                        "web",
                        "name",
                        "web"),
                    "layer",
                    "web",
                    "paths",
                    List.of("spec.replicas"),
                    "missing",
                    false))));
  }

  public static DomainEvent driftCorrected(String clusterId, long generation) {
    return event(
        "io.strata.reconcile.DriftCorrected.v1",
        map("clusterId", clusterId, "generation", generation, "objects", List.of()));
  }

  public static DomainEvent profileCreated(String profileId, String name, String project) {
    return event(
        "io.strata.profile.ProfileCreated.v1",
        map(
            "profileId",
            profileId,
            "name",
            name,
            "type",
            "full",
            "description",
            "",
            "tags",
            List.of(),
            "project",
            project));
  }

  public static Map<String, Object> helm(String name, String values) {
    return map(
        "type",
        "helm",
        "name",
        name,
        "chart",
        map("pack", "ingress-nginx", "version", "4.10.0", "url", "", "digest", ""),
        "values",
        values);
  }

  public static Map<String, Object> manifests(String name, String content) {
    return map(
        "type",
        "manifest",
        "name",
        name,
        "manifests",
        List.of(map("name", name, "content", content)));
  }

  public static DomainEvent versionCreated(String profileId, String version, List<?> layers) {
    return event(
        "io.strata.profile.ProfileVersionCreated.v1",
        map(
            "profileId",
            profileId,
            "version",
            version,
            "revision",
            1,
            "copiedFrom",
            "",
            "variables",
            List.of(),
            "layers",
            layers));
  }

  public static DomainEvent versionUpdated(
      String profileId, String version, int revision, List<?> layers) {
    return event(
        "io.strata.profile.ProfileVersionUpdated.v1",
        map(
            "profileId",
            profileId,
            "version",
            version,
            "revision",
            revision,
            "variables",
            List.of(),
            "layers",
            layers,
            "changes",
            List.of(map("layer", "ingress", "kind", "reconfigured"))));
  }

  public static DomainEvent versionDeprecated(String profileId, String version) {
    return event(
        "io.strata.profile.ProfileVersionDeprecated.v1",
        map("profileId", profileId, "version", version, "reason", "old"));
  }
}
