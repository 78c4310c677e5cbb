package io.strata.reconciler.desired;

import io.strata.events.ClusterId;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.SealedValues;
import io.strata.eventstore.EventStore;
import io.strata.kit.secrets.Sealer;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sensitive variable values of a cluster: opened for rendering what is applied, and masked out of
 * everything the API shows (a simulated cluster's objects, previews), since a rendered object holds
 * the plaintext.
 */
@Singleton
public class SealedVariables {
  private final EventStore store;
  private final Sealer sealer;

  SealedVariables(EventStore store, Sealer sealer) {
    this.store = store;
    this.sealer = sealer;
  }

  /** Opens the cluster's own sealed values, one short transaction each. */
  public Renderer.Secrets of(ClusterId cluster) {
    return ref -> store.inTransaction(c -> sealer.open(c, cluster, ref));
  }

  /** The plaintexts of the spec's sealed variables, to mask them out of answers. */
  public Set<String> plaintexts(ClusterId cluster, ClusterSpec spec) {
    Set<String> out = new TreeSet<>();
    Renderer.Secrets secrets = of(cluster);
    for (String value : spec.variables().values()) {
      if (SealedValues.isRef(value)) {
        secrets.open(value).filter(v -> !v.isEmpty()).ifPresent(out::add);
      }
    }
    return out;
  }

  /** {@code tree} with every occurrence of a plaintext in its strings replaced by the mask. */
  public static Object mask(Object tree, Set<String> plaintexts) {
    if (plaintexts.isEmpty()) {
      return tree;
    }
    return switch (tree) {
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, mask(v, plaintexts)));
        yield out;
      }
      case List<?> l -> l.stream().map(v -> mask(v, plaintexts)).toList();
      case String s -> {
        String out = s;
        for (String p : plaintexts) {
          out = out.replace(p, SealedValues.MASK);
        }
        yield out;
      }
      case null -> null;
      default -> {
        String text = tree.toString();
        yield plaintexts.contains(text) ? SealedValues.MASK : tree;
      }
    };
  }
}
