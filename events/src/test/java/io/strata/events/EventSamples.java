package io.strata.events;

import io.strata.events.ClusterEvent.ClusterDeregistered;
import io.strata.events.ClusterEvent.ClusterOverrideRemoved;
import io.strata.events.ClusterEvent.ClusterOverrideSet;
import io.strata.events.ClusterEvent.ClusterPendingUpdateDetected;
import io.strata.events.ClusterEvent.ClusterProfilesAttached;
import io.strata.events.ClusterEvent.ClusterRegistered;
import io.strata.events.ClusterEvent.ClusterRolledBack;
import io.strata.events.ClusterEvent.ClusterStatusChanged;
import io.strata.events.ClusterEvent.ClusterUpdatesApplied;
import io.strata.events.ClusterEvent.ClusterVariablesSet;
import io.strata.events.ProfileEvent.PackUploaded;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileDeleted;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileEvent.ProfileVersionLocked;
import io.strata.events.ProfileEvent.ProfileVersionUpdated;
import io.strata.events.ReconcileEvent.DriftCorrected;
import io.strata.events.ReconcileEvent.DriftDetected;
import io.strata.events.ReconcileEvent.ReconcileFailed;
import io.strata.events.ReconcileEvent.ReconcileStarted;
import io.strata.events.ReconcileEvent.ReconcileSucceeded;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterPhase;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.ClusterTarget;
import io.strata.events.cluster.DriftPolicy;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.cluster.PendingUpdate;
import io.strata.events.cluster.TargetKind;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.LayerChange;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.PackKind;
import io.strata.events.profile.PackRef;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.events.profile.VariableType;
import io.strata.events.profile.ZarfRef;
import io.strata.events.reconcile.DriftedObject;
import io.strata.events.reconcile.ObjectAction;
import io.strata.events.reconcile.ObjectRef;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every registered event type, matching its golden fixture. */
final class EventSamples {
  static final ProfileId PROFILE = ProfileId.of("p-7f1c2a9e-0000-4000-8000-000000000001");
  static final ClusterId CLUSTER = ClusterId.of("c-7f1c2a9e-0000-4000-8000-000000000002");
  static final Semver V100 = Semver.parse("1.0.0");

  private EventSamples() {}

  static List<Layer> layers() {
    return List.of(
        new Layer.ManifestLayer(
            "web",
            List.of(
                new Manifest(
                    "web",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {{ .strata.var.replicas }}\n"))),
        new Layer.HelmLayer(
            "ingress",
            new ChartRef("ingress-nginx", "4.10.0", "", "sha256:" + "a".repeat(64)),
            "controller:\n  replicaCount: 2\n"),
        new Layer.PackLayer("cni", new PackRef("calico", "3.26.1", "sha256:" + "b".repeat(64)), ""),
        new Layer.ZarfLayer("offline-bundle", new ZarfRef("oci://registry/pkg", "1.0.0")));
  }

  static List<Variable> variables() {
    return List.of(new Variable("replicas", VariableType.NUMBER, "2", false, "^[0-9]+$", false));
  }

  static ClusterSpec spec(long generation) {
    return new ClusterSpec(
        generation,
        List.of(new AttachedProfile(PROFILE, "web-stack", V100, 2)),
        Map.of("replicas", "3"),
        List.of(
            new LayerOverride(
                PROFILE, "web", "replicas: 5\n", List.of(), Semver.parse("1.0.0"), 1)));
  }

  static List<DomainEvent> all() {
    ObjectRef deployment = new ObjectRef("apps/v1", "Deployment", "web", "web");
    return List.of(
        new ProfileCreated(
            PROFILE, "web-stack", ProfileType.FULL, "web tier", List.of("web"), "default"),
        new ProfileVersionCreated(PROFILE, V100, 1, "", variables(), layers()),
        new ProfileVersionUpdated(
            PROFILE,
            V100,
            2,
            variables(),
            layers(),
            List.of(new LayerChange("web", LayerChange.Kind.RECONFIGURED))),
        new ProfileVersionDeprecated(PROFILE, V100, "superseded by 1.1.1"),
        new ProfileVersionLocked(PROFILE, V100),
        new ProfileDeleted(PROFILE),
        new PackUploaded(
            PackId.of("ingress-nginx", "4.10.0"),
            "ingress-nginx",
            "4.10.0",
            PackKind.HELM,
            "sha256:" + "a".repeat(64),
            12345,
            "controller:\n  replicaCount: 1\n",
            "default"),
        new ClusterRegistered(
            CLUSTER,
            "prod-1",
            Map.of("env", "prod"),
            new ClusterTarget(TargetKind.KUBERNETES, "kubeconfig/" + CLUSTER.value()),
            spec(1),
            "default",
            DriftPolicy.REPORT),
        new ClusterEvent.ClusterDriftPolicySet(CLUSTER, DriftPolicy.CORRECT),
        new ClusterProfilesAttached(CLUSTER, spec(2), "attach"),
        new ClusterVariablesSet(CLUSTER, spec(3)),
        new ClusterOverrideSet(
            CLUSTER,
            new LayerOverride(PROFILE, "web", "replicas: 5\n", List.of(), Semver.parse("1.0.0"), 1),
            spec(4)),
        new ClusterOverrideRemoved(CLUSTER, PROFILE, "web", spec(5)),
        new ClusterPendingUpdateDetected(CLUSTER, new PendingUpdate(PROFILE, V100, 2, 3)),
        new ClusterUpdatesApplied(
            CLUSTER, spec(6), List.of(new PendingUpdate(PROFILE, V100, 2, 3))),
        new ClusterRolledBack(CLUSTER, spec(7), 4),
        new ClusterDeregistered(CLUSTER, true),
        new ClusterStatusChanged(CLUSTER, ClusterPhase.Failed, 7, 4, "web not ready after 30s"),
        new ReconcileStarted(CLUSTER, 7, "sha256:" + "c".repeat(64)),
        new ReconcileSucceeded(
            CLUSTER,
            7,
            "sha256:" + "c".repeat(64),
            List.of(new ObjectAction(deployment, "web", ObjectAction.Action.CREATED)),
            412),
        new ReconcileFailed(
            CLUSTER,
            7,
            "sha256:" + "c".repeat(64),
            List.of(new ObjectAction(deployment, "web", ObjectAction.Action.UPDATED)),
            30012,
            "Deployment web/web not ready after 30s",
            false),
        new DriftDetected(
            CLUSTER,
            7,
            List.of(new DriftedObject(deployment, "web", List.of("spec.replicas"), false)),
            true),
        new DriftCorrected(CLUSTER, 7, List.of(deployment)),
        new AccessEvent.ProjectCreated("team-a", false),
        new AccessEvent.ApiKeyCreated(
            "ci-bot",
            "k7f1c2a9e0a1b",
            io.strata.events.access.Role.OPERATOR,
            List.of("team-a"),
            java.util.Optional.of(java.time.Instant.parse("2027-01-01T00:00:00Z")),
            "c2FsdHNhbHRzYWx0c2FsdA",
            "d".repeat(64)),
        new AccessEvent.ApiKeyRevoked("ci-bot", "k7f1c2a9e0a1b"));
  }
}
