package io.strata.profile.domain;

import io.strata.events.profile.Layer;
import io.strata.events.profile.LayerChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed between two layer lists, layer by layer, pure: added, removed, swapped (another
 * type, chart, pack or package), reconfigured (same source, other values or manifests), moved
 * (another place in the install order among the layers both lists have).
 */
public final class LayerChanges {
  private LayerChanges() {}

  public static List<LayerChange> between(List<Layer> before, List<Layer> after) {
    Map<String, Layer> old = byName(before);
    Map<String, Layer> now = byName(after);
    List<LayerChange> changes = new ArrayList<>();
    for (Layer l : after) {
      Layer was = old.get(l.name());
      if (was == null) {
        changes.add(new LayerChange(l.name(), LayerChange.Kind.ADDED));
      } else if (!sameSource(was, l)) {
        changes.add(new LayerChange(l.name(), LayerChange.Kind.SWAPPED));
      } else if (!was.equals(l)) {
        changes.add(new LayerChange(l.name(), LayerChange.Kind.RECONFIGURED));
      }
    }
    for (Layer l : before) {
      if (!now.containsKey(l.name())) {
        changes.add(new LayerChange(l.name(), LayerChange.Kind.REMOVED));
      }
    }
    List<String> keptBefore = before.stream().map(Layer::name).filter(now::containsKey).toList();
    List<String> keptAfter = after.stream().map(Layer::name).filter(old::containsKey).toList();
    for (int i = 0; i < keptAfter.size(); i++) {
      if (!keptAfter.get(i).equals(keptBefore.get(i))) {
        changes.add(new LayerChange(keptAfter.get(i), LayerChange.Kind.MOVED));
      }
    }
    return changes;
  }

  /** Same type and the same chart, pack or package (values and manifests aside). */
  static boolean sameSource(Layer a, Layer b) {
    return switch (a) {
      case Layer.ManifestLayer m -> b instanceof Layer.ManifestLayer;
      case Layer.HelmLayer h ->
          b instanceof Layer.HelmLayer o
              && h.chart().pack().equals(o.chart().pack())
              && h.chart().url().equals(o.chart().url())
              && h.chart().version().equals(o.chart().version());
      case Layer.PackLayer p ->
          b instanceof Layer.PackLayer o
              && p.pack().name().equals(o.pack().name())
              && p.pack().version().equals(o.pack().version());
      case Layer.ZarfLayer z -> b instanceof Layer.ZarfLayer o && z.zarf().equals(o.zarf());
    };
  }

  private static Map<String, Layer> byName(List<Layer> layers) {
    Map<String, Layer> m = new LinkedHashMap<>();
    layers.forEach(l -> m.put(l.name(), l));
    return m;
  }
}
