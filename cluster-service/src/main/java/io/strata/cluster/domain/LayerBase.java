package io.strata.cluster.domain;

import io.strata.events.cluster.ManifestPatch;
import io.strata.events.cluster.SealedValues;
import io.strata.events.profile.Layer;
import io.strata.kit.catalog.Catalog;
import io.strata.values.Templates;
import io.strata.values.Values;
import io.strata.values.Yamls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A layer's base content as data, with the cluster's variables substituted (a sensitive value shows
 * as a mask): the values of a {@code helm} or {@code pack} layer, the objects of a {@code manifest}
 * layer.
 */
public record LayerBase(
    String type, Map<String, Object> values, List<Map<String, Object>> objects) {

  /** The values layer text is rendered with: the revision's defaults, then the cluster's. */
  public static Map<String, String> variables(
      Catalog.Content content, Map<String, String> cluster) {
    Map<String, String> out = new java.util.HashMap<>();
    for (var v : content.variables()) {
      if (!v.defaultValue().isEmpty()) {
        out.put(v.name(), v.defaultValue());
      }
      if (v.sensitive()) {
        out.put(v.name(), SealedValues.HIDDEN);
      }
    }
    cluster.forEach(
        (k, v) ->
            out.put(
                k,
                SealedValues.isRef(v) || SealedValues.HIDDEN.equals(out.get(k))
                    ? SealedValues.HIDDEN
                    : v));
    return out;
  }

  /** {@code variables} as {@link #variables} gives them. */
  public static LayerBase of(Layer layer, Map<String, String> variables) {
    return switch (layer) {
      case Layer.HelmLayer h -> values("helm", h.values(), variables);
      case Layer.PackLayer p -> values("pack", p.values(), variables);
      case Layer.ManifestLayer m -> {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (var manifest : m.manifests()) {
          try {
            for (Object o : Yamls.loadAll(substitute(manifest.content(), variables))) {
              if (o instanceof Map<?, ?> map) {
                Map<String, Object> obj = new LinkedHashMap<>();
                map.forEach((k, v) -> obj.put(String.valueOf(k), v));
                objects.add(obj);
              }
            }
          } catch (RuntimeException e) {
            // validated at save time; a document that no longer parses has no objects to compare
          }
        }
        yield new LayerBase("manifest", Map.of(), objects);
      }
      case Layer.ZarfLayer z -> new LayerBase("zarf", Map.of(), List.of());
    };
  }

  private static LayerBase values(String type, String text, Map<String, String> variables) {
    Map<String, Object> v;
    try {
      v = Values.parse(substitute(text, variables));
    } catch (Values.NotAMapping e) {
      v = Map.of();
    }
    return new LayerBase(type, v, List.of());
  }

  private static String substitute(String text, Map<String, String> variables) {
    return Templates.substitute(text, name -> Optional.ofNullable(variables.get(name)), name -> "");
  }

  public static String typeOf(Layer layer) {
    return switch (layer) {
      case Layer.HelmLayer h -> "helm";
      case Layer.PackLayer p -> "pack";
      case Layer.ManifestLayer m -> "manifest";
      case Layer.ZarfLayer z -> "zarf";
    };
  }

  public boolean takesValues() {
    return type.equals("helm") || type.equals("pack");
  }

  /** The object a patch targets: kind and name, and namespace when the patch names one. */
  public Optional<Map<String, Object>> object(ManifestPatch.Target target) {
    return objects.stream().filter(target::matches).findFirst();
  }
}
