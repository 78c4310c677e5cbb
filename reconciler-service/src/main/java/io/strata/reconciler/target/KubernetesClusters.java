package io.strata.reconciler.target;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ServerSideApplicable;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.events.ClusterId;
import io.strata.events.reconcile.ObjectAction;
import io.strata.eventstore.EventStore;
import io.strata.kit.secrets.Sealer;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.reconciler.desired.Renderer;
import io.strata.reconciler.specs.ClusterSpecs;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Real clusters through their API server, with the fabric8 client built from the cluster's
 * kubeconfig (opened from the sealed store; it never leaves this process). Server-side apply with
 * field manager {@code strata}: a conflict with another manager fails the reconcile unless
 * force-conflicts is the policy. Namespaces and CRDs go first, prunes go in reverse order and only
 * touch objects labelled as this cluster's. Which kinds may hold such objects is kept in an
 * inventory ConfigMap in {@code kube-system} (the idea of kubectl's ApplySet), so pruning needs no
 * discovery of every API.
 */
@Singleton
public class KubernetesClusters {
  static final String FIELD_MANAGER = "strata";
  static final String INVENTORY_NAMESPACE = "kube-system";
  static final String INVENTORY_KINDS = "strata.io/group-kinds";
  static final String INVENTORY_OF = "strata.io/inventory-of";
  private static final Duration POLL = Duration.ofMillis(250);

  private final EventStore store;
  private final Sealer sealer;
  private final boolean forceConflicts;
  private final Duration requestTimeout;
  private final Map<String, Connected> clients = new ConcurrentHashMap<>();

  private record Connected(String credentialsRef, KubernetesClient client) {}

  KubernetesClusters(
      EventStore store,
      Sealer sealer,
      @ConfigProperty(name = "strata.reconciler.kubernetes.force-conflicts", defaultValue = "false")
          boolean forceConflicts,
      @ConfigProperty(name = "strata.reconciler.kubernetes.request-timeout", defaultValue = "PT10S")
          Duration requestTimeout) {
    this.store = store;
    this.sealer = sealer;
    this.forceConflicts = forceConflicts;
    this.requestTimeout = requestTimeout;
  }

  void start(@Observes StartupEvent ignored) {
    sealer.requireKeyInProduction(LaunchMode.current());
  }

  void stop(@Observes ShutdownEvent ignored) {
    clients.values().forEach(c -> c.client().close());
  }

  /** The target of one registered cluster. */
  public Target of(ClusterSpecs.Known cluster) {
    return new Cluster(cluster);
  }

  private KubernetesClient client(ClusterSpecs.Known k) throws Target.TargetFailure {
    Connected known = clients.get(k.clusterId());
    if (known != null && known.credentialsRef().equals(k.credentialsRef())) {
      return known.client();
    }
    if (!sealer.configured()) {
      throw new Target.TargetFailure(
          "this reconciler has no secrets key (STRATA_SECRETS_KEY_FILE), so it cannot open the"
              + " cluster's kubeconfig",
          false,
          List.of());
    }
    ClusterId id = ClusterId.of(k.clusterId());
    Optional<String> kubeconfig = store.inTransaction(c -> sealer.open(c, id, k.credentialsRef()));
    if (kubeconfig.isEmpty()) {
      throw new Target.TargetFailure(
          "the cluster's kubeconfig is not in the sealed store", false, List.of());
    }
    Config config;
    try {
      config = Config.fromKubeconfig(kubeconfig.get());
    } catch (RuntimeException e) {
      // the message of a parse error may quote the kubeconfig: say only that it does not parse
      throw new Target.TargetFailure("the cluster's kubeconfig does not parse", false, List.of());
    }
    config.setRequestTimeout((int) requestTimeout.toMillis());
    config.setConnectionTimeout((int) requestTimeout.toMillis());
    // our own backoff per generation decides when to try again, not the client's
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    Connected previous = clients.put(k.clusterId(), new Connected(k.credentialsRef(), client));
    if (previous != null) {
      previous.client().close();
    }
    return client;
  }

  /** Install order: namespaces, then CRDs, then the rest as rendered (stable). */
  static int rank(String kind) {
    return switch (kind) {
      case "Namespace" -> 0;
      case "CustomResourceDefinition" -> 1;
      default -> 2;
    };
  }

  static List<DesiredObject> installOrder(List<DesiredObject> desired) {
    return desired.stream().sorted(Comparator.comparingInt(o -> rank(o.kind()))).toList();
  }

  private final class Cluster implements Target {
    private final ClusterSpecs.Known known;
    private final ClusterId id;

    Cluster(ClusterSpecs.Known known) {
      this.known = known;
      this.id = ClusterId.of(known.clusterId());
    }

    @Override
    public List<ObjectAction> apply(ClusterId cluster, List<DesiredObject> desired, Duration wait)
        throws TargetFailure {
      KubernetesClient client = client(known);
      List<ObjectAction> actions = new ArrayList<>();
      Set<String> kinds = new TreeSet<>(inventory(client, actions));
      desired.forEach(o -> kinds.add(groupKind(o.apiVersion(), o.kind())));
      // the inventory first: a crash after an apply must not leave objects we cannot find
      writeInventory(client, kinds, actions);
      for (DesiredObject o : installOrder(desired)) {
        Resource<GenericKubernetesResource> r =
            resource(client, o.apiVersion(), o.kind(), o.namespace(), o.name(), o.body());
        try {
          GenericKubernetesResource before = r.get();
          ServerSideApplicable<GenericKubernetesResource> apply = r.fieldManager(FIELD_MANAGER);
          if (forceConflicts) {
            apply = apply.forceConflicts();
          }
          GenericKubernetesResource after = apply.serverSideApply();
          ObjectAction.Action action =
              before == null
                  ? ObjectAction.Action.CREATED
                  : Objects.equals(version(before), version(after))
                      ? ObjectAction.Action.UNCHANGED
                      : ObjectAction.Action.UPDATED;
          actions.add(new ObjectAction(o.ref(), o.layer(), action));
        } catch (KubernetesClientException e) {
          throw failure(o.kind() + "/" + o.name(), e, actions);
        }
      }
      prune(client, kinds, desired, actions);
      awaitReady(client, desired, wait, actions);
      return actions;
    }

    @Override
    public Map<String, Map<String, Object>> live(ClusterId cluster, List<DesiredObject> desired)
        throws TargetFailure {
      KubernetesClient client = client(known);
      List<ObjectAction> none = new ArrayList<>();
      Map<String, Map<String, Object>> out = new TreeMap<>();
      Set<String> kinds = new TreeSet<>(inventory(client, none));
      for (DesiredObject o : desired) {
        kinds.add(groupKind(o.apiVersion(), o.kind()));
        try {
          GenericKubernetesResource live =
              resource(client, o.apiVersion(), o.kind(), o.namespace(), o.name(), o.body()).get();
          if (live != null) {
            out.put(o.key(), body(client, live));
          }
        } catch (KubernetesClientException e) {
          throw failure(o.kind() + "/" + o.name(), e, none);
        }
      }
      for (GenericKubernetesResource ours : ours(client, kinds, none)) {
        out.putIfAbsent(key(ours), body(client, ours));
      }
      return out;
    }

    @Override
    public void prune(ClusterId cluster) throws TargetFailure {
      KubernetesClient client = client(known);
      List<ObjectAction> actions = new ArrayList<>();
      Set<String> kinds = inventory(client, actions);
      Cluster.this.prune(client, kinds, List.of(), actions);
      try {
        client.configMaps().inNamespace(INVENTORY_NAMESPACE).withName(inventoryName()).delete();
      } catch (KubernetesClientException e) {
        throw failure("the inventory", e, actions);
      }
      clients.remove(known.clusterId());
    }

    private void prune(
        KubernetesClient client,
        Set<String> kinds,
        List<DesiredObject> desired,
        List<ObjectAction> actions)
        throws TargetFailure {
      Set<String> wanted = new TreeSet<>();
      desired.forEach(o -> wanted.add(o.key()));
      List<GenericKubernetesResource> stale = new ArrayList<>();
      for (GenericKubernetesResource o : ours(client, kinds, actions)) {
        if (!wanted.contains(key(o))) {
          stale.add(o);
        }
      }
      // the reverse of the install order: a namespace or CRD goes after what it holds
      stale.sort(
          Comparator.comparingInt((GenericKubernetesResource o) -> rank(o.getKind())).reversed());
      for (GenericKubernetesResource o : stale) {
        try {
          client.resource(o).delete();
          actions.add(
              new ObjectAction(
                  DesiredObject.refOf(key(o)),
                  String.valueOf(o.getMetadata().getLabels().get(Renderer.LABEL_LAYER)),
                  ObjectAction.Action.PRUNED));
        } catch (KubernetesClientException e) {
          throw failure(o.getKind() + "/" + o.getMetadata().getName(), e, actions);
        }
      }
    }

    /** Every object labelled as this cluster's, of the given kinds, in every namespace. */
    private List<GenericKubernetesResource> ours(
        KubernetesClient client, Set<String> kinds, List<ObjectAction> actions)
        throws TargetFailure {
      List<GenericKubernetesResource> out = new ArrayList<>();
      for (String gk : kinds) {
        int slash = gk.lastIndexOf('/');
        String apiVersion = gk.substring(0, slash);
        String kind = gk.substring(slash + 1);
        try {
          var all = client.genericKubernetesResources(apiVersion, kind);
          var list =
              isNamespaced(kind)
                  ? all.inAnyNamespace().withLabel(Renderer.LABEL_CLUSTER, known.clusterId()).list()
                  : all.withLabel(Renderer.LABEL_CLUSTER, known.clusterId()).list();
          out.addAll(list.getItems());
        } catch (KubernetesClientException e) {
          if (e.getCode() == 404) {
            continue; // a kind whose CRD is gone holds nothing of ours any more
          }
          throw failure("listing " + kind, e, actions);
        }
      }
      return out;
    }

    private void awaitReady(
        KubernetesClient client,
        List<DesiredObject> desired,
        Duration wait,
        List<ObjectAction> actions)
        throws TargetFailure {
      Instant deadline = Instant.now().plus(wait);
      for (DesiredObject o : desired) {
        if (!Readiness.hasRollout(o.kind())) {
          continue; // ready once applied
        }
        while (true) {
          GenericKubernetesResource live;
          try {
            live =
                resource(client, o.apiVersion(), o.kind(), o.namespace(), o.name(), o.body()).get();
          } catch (KubernetesClientException e) {
            throw failure(o.kind() + "/" + o.name(), e, actions);
          }
          Map<String, Object> body = live == null ? Map.of() : body(client, live);
          Optional<String> why =
              live == null ? Optional.of("it is gone") : Readiness.notReady(o.kind(), body);
          if (why.isEmpty()) {
            break;
          }
          if (Readiness.failedForGood(o.kind(), body)) {
            throw new TargetFailure(o.kind() + "/" + o.name() + " failed", false, actions);
          }
          if (Instant.now().isAfter(deadline)) {
            throw new TargetFailure(
                o.kind()
                    + "/"
                    + o.name()
                    + " is not ready after "
                    + wait.toSeconds()
                    + "s: "
                    + why.get(),
                false,
                actions);
          }
          try {
            Thread.sleep(POLL.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetFailure("interrupted while waiting for readiness", true, actions);
          }
        }
      }
    }

    private String inventoryName() {
      return "strata-inventory-" + known.clusterId();
    }

    private Set<String> inventory(KubernetesClient client, List<ObjectAction> actions)
        throws TargetFailure {
      try {
        ConfigMap cm =
            client.configMaps().inNamespace(INVENTORY_NAMESPACE).withName(inventoryName()).get();
        Set<String> kinds = new TreeSet<>();
        if (cm != null && cm.getData() != null && cm.getData().get(INVENTORY_KINDS) != null) {
          for (String k : cm.getData().get(INVENTORY_KINDS).split(",")) {
            if (!k.isBlank()) {
              kinds.add(k.strip());
            }
          }
        }
        return kinds;
      } catch (KubernetesClientException e) {
        throw failure("the inventory", e, actions);
      }
    }

    private void writeInventory(
        KubernetesClient client, Set<String> kinds, List<ObjectAction> actions)
        throws TargetFailure {
      ConfigMap cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName(inventoryName())
              .withNamespace(INVENTORY_NAMESPACE)
              // not strata.io/cluster: the inventory is never a prune candidate itself
              .addToLabels(INVENTORY_OF, known.clusterId())
              .endMetadata()
              .addToData(INVENTORY_KINDS, String.join(",", kinds))
              .build();
      try {
        client.resource(cm).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      } catch (KubernetesClientException e) {
        throw failure("the inventory", e, actions);
      }
    }
  }

  private static Resource<GenericKubernetesResource> resource(
      KubernetesClient client,
      String apiVersion,
      String kind,
      String namespace,
      String name,
      Map<String, Object> body) {
    GenericKubernetesResource object =
        client.getKubernetesSerialization().convertValue(body, GenericKubernetesResource.class);
    return namespace.isEmpty()
        ? client.resource(object)
        : client.resource(object).inNamespace(namespace);
  }

  /** Built-in cluster-scoped kinds; custom resources are taken as namespaced. */
  private static boolean isNamespaced(String kind) {
    return !Set.of(
            "Namespace",
            "CustomResourceDefinition",
            "ClusterRole",
            "ClusterRoleBinding",
            "PersistentVolume",
            "StorageClass",
            "PriorityClass",
            "IngressClass",
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "APIService",
            "RuntimeClass")
        .contains(kind);
  }

  private static Map<String, Object> body(KubernetesClient client, GenericKubernetesResource o) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m =
        client.getKubernetesSerialization().convertValue(o, LinkedHashMap.class);
    return m;
  }

  private static String key(GenericKubernetesResource o) {
    String ns = o.getMetadata().getNamespace();
    return o.getApiVersion()
        + "/"
        + o.getKind()
        + "/"
        + (ns == null ? "" : ns)
        + "/"
        + o.getMetadata().getName();
  }

  private static String groupKind(String apiVersion, String kind) {
    return apiVersion + "/" + kind;
  }

  private static String version(GenericKubernetesResource o) {
    return o == null || o.getMetadata() == null ? null : o.getMetadata().getResourceVersion();
  }

  /**
   * What an API error means for the reconcile: unreachable or overloaded servers are retried with
   * backoff; a refusal of the content (or an apply conflict) is permanent for this generation.
   */
  static Target.TargetFailure failure(
      String what, KubernetesClientException e, List<ObjectAction> actions) {
    int code = e.getCode();
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    if (code == 409) {
      return new Target.TargetFailure(
          what
              + ": server-side apply conflict with another field manager ("
              + reason
              + "); force-conflicts is off",
          false,
          actions);
    }
    if (code <= 0) { // no HTTP answer at all
      return new Target.TargetFailure(
          what + ": the API server cannot be reached (" + rootCause(e) + ")", true, actions);
    }
    if (code == 401 || code == 403) {
      return new Target.TargetFailure(
          what + ": the kubeconfig's credentials were refused (" + code + ")", true, actions);
    }
    if (code == 429 || code >= 500) {
      return new Target.TargetFailure(
          what + ": the API server answered " + code + " (" + reason + ")", true, actions);
    }
    return new Target.TargetFailure(
        what + " was refused by the API server (" + code + "): " + reason, false, actions);
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
