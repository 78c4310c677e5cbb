package io.strata.reconciler.target;

import io.strata.events.ClusterId;
import io.strata.events.reconcile.ObjectAction;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.reconciler.desired.Renderer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In-memory clusters for demos, tests and scale runs. Health model: a Deployment, StatefulSet or
 * DaemonSet whose pod template carries {@code sim.strata.io/healthy: "false"} never becomes ready;
 * an object annotated {@code sim.strata.io/fail-apply: <message>} is refused by the "API". Apply
 * latency per object is configurable. Objects can be read and changed out of band (drift).
 */
@Singleton
public class SimulatedClusters implements Target {
  public static final String HEALTHY = "sim.strata.io/healthy";
  public static final String FAIL_APPLY = "sim.strata.io/fail-apply";

  private final Map<String, Map<String, Map<String, Object>>> clusters = new ConcurrentHashMap<>();
  private final Duration latency;

  SimulatedClusters(
      @ConfigProperty(name = "strata.reconciler.simulated.apply-latency", defaultValue = "PT0S")
          Duration latency) {
    this.latency = latency;
  }

  /** The objects a simulated cluster holds now, by {@code apiVersion/kind/namespace/name}. */
  public Map<String, Map<String, Object>> objects(ClusterId cluster) {
    return new TreeMap<>(clusters.getOrDefault(cluster.value(), Map.of()));
  }

  /** Changes an object out of band, as someone with kubectl would. */
  public void put(ClusterId cluster, String key, Map<String, Object> body) {
    clusters.computeIfAbsent(cluster.value(), k -> new ConcurrentHashMap<>()).put(key, body);
  }

  private final Map<String, Long> applied = new ConcurrentHashMap<>();

  /** The generation last applied to a simulated cluster since this process started; 0 if none. */
  public long applied(ClusterId cluster) {
    return applied.getOrDefault(cluster.value(), 0L);
  }

  @Override
  public Map<String, Map<String, Object>> live(ClusterId cluster, List<DesiredObject> desired) {
    Map<String, Map<String, Object>> all = clusters.getOrDefault(cluster.value(), Map.of());
    Map<String, Map<String, Object>> out = new TreeMap<>();
    all.forEach(
        (key, body) -> {
          if (cluster.value().equals(DesiredObject.label(body, Renderer.LABEL_CLUSTER))) {
            out.put(key, body);
          }
        });
    for (DesiredObject o : desired) {
      Map<String, Object> body = all.get(o.key());
      if (body != null) {
        out.put(o.key(), body);
      }
    }
    return out;
  }

  @Override
  public void prune(ClusterId cluster) {
    clusters
        .getOrDefault(cluster.value(), new ConcurrentHashMap<>())
        .values()
        .removeIf(
            body -> cluster.value().equals(DesiredObject.label(body, Renderer.LABEL_CLUSTER)));
    applied.remove(cluster.value());
  }

  @Override
  public List<ObjectAction> apply(
      ClusterId cluster, List<DesiredObject> desired, Duration readiness) throws TargetFailure {
    Map<String, Map<String, Object>> live =
        clusters.computeIfAbsent(cluster.value(), k -> new ConcurrentHashMap<>());
    List<ObjectAction> actions = new ArrayList<>();
    Set<String> wanted = new java.util.HashSet<>();
    for (DesiredObject o : desired) {
      wanted.add(o.key());
      String refusal = annotation(o.body(), FAIL_APPLY);
      if (refusal != null) {
        throw new TargetFailure(
            o.kind() + "/" + o.name() + " was refused by the API server: " + refusal,
            false,
            actions);
      }
      pause();
      Map<String, Object> before = live.put(o.key(), o.body());
      ObjectAction.Action action =
          before == null
              ? ObjectAction.Action.CREATED
              : before.equals(o.body())
                  ? ObjectAction.Action.UNCHANGED
                  : ObjectAction.Action.UPDATED;
      actions.add(new ObjectAction(o.ref(), o.layer(), action));
    }
    for (String key : new java.util.TreeSet<>(live.keySet())) {
      Map<String, Object> body = live.get(key);
      if (!wanted.contains(key)
          && cluster.value().equals(DesiredObject.label(body, Renderer.LABEL_CLUSTER))) {
        live.remove(key);
        actions.add(
            new ObjectAction(
                DesiredObject.refOf(key),
                String.valueOf(DesiredObject.label(body, Renderer.LABEL_LAYER)),
                ObjectAction.Action.PRUNED));
      }
    }
    for (DesiredObject o : desired) {
      if (Readiness.hasRollout(o.kind()) && "false".equals(podAnnotation(o.body(), HEALTHY))) {
        sleep(readiness);
        throw new TargetFailure(
            o.kind() + "/" + o.name() + " is not ready after " + readiness.toSeconds() + "s",
            false,
            actions);
      }
    }
    desired.stream()
        .map(o -> DesiredObject.label(o.body(), Renderer.LABEL_GENERATION))
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .ifPresentOrElse(
            g -> applied.put(cluster.value(), Long.parseLong(String.valueOf(g))),
            () -> applied.put(cluster.value(), 0L));
    return actions;
  }

  private void pause() {
    if (!latency.isZero()) {
      sleep(latency);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String annotation(Map<String, Object> body, String name) {
    return body.get("metadata") instanceof Map<?, ?> md
            && md.get("annotations") instanceof Map<?, ?> a
            && a.get(name) != null
        ? String.valueOf(a.get(name))
        : null;
  }

  @SuppressWarnings("unchecked")
  private static String podAnnotation(Map<String, Object> body, String name) {
    if (body.get("spec") instanceof Map<?, ?> spec && spec.get("template") instanceof Map<?, ?> t) {
      return annotation((Map<String, Object>) t, name);
    }
    return null;
  }
}
