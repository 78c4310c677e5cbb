package io.strata.audit.revisions;

import io.strata.events.EventJson;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The difference between two revisions, pure, layer by layer: values are compared as YAML paths,
 * manifests as Kubernetes objects (by kind, namespace and name, then by path), a layer's source
 * (chart, pack, zarf package) field by field.
 */
public final class LayerDiff {
  private LayerDiff() {}

  public enum Change {
    added,
    removed,
    changed
  }

  public enum Status {
    added,
    removed,
    changed,
    moved,
    unchanged
  }

  public record PathChange(String path, Change change, String from, String to) {}

  public record ObjectChange(String object, Change change, List<PathChange> paths) {}

  public record LayerChange(
      String layer,
      Status status,
      String fromType,
      String toType,
      int fromPosition,
      int toPosition,
      List<PathChange> source,
      List<PathChange> values,
      List<ObjectChange> objects) {}

  public record Diff(
      String from,
      String to,
      boolean identical,
      List<PathChange> variables,
      List<LayerChange> layers) {}

  public static Diff between(
      String fromLabel,
      List<Variable> fromVars,
      List<Layer> from,
      String toLabel,
      List<Variable> toVars,
      List<Layer> to) {
    List<PathChange> vars = paths(variables(fromVars), variables(toVars));
    Map<String, Integer> fromPos = positions(from);
    Map<String, Integer> toPos = positions(to);
    List<LayerChange> layers = new ArrayList<>();
    for (Layer t : to) {
      int tp = toPos.get(t.name());
      Layer f = from.stream().filter(l -> l.name().equals(t.name())).findFirst().orElse(null);
      if (f == null) {
        layers.add(
            new LayerChange(
                t.name(),
                Status.added,
                "",
                type(t),
                -1,
                tp,
                paths(new TreeMap<>(), source(t)),
                paths(new TreeMap<>(), values(t)),
                objects(List.of(), manifests(t))));
        continue;
      }
      int fp = fromPos.get(f.name());
      List<PathChange> src = paths(source(f), source(t));
      if (!type(f).equals(type(t))) {
        src.addFirst(new PathChange("type", Change.changed, type(f), type(t)));
      }
      List<PathChange> vals = paths(values(f), values(t));
      List<ObjectChange> objs = objects(manifests(f), manifests(t));
      Status status =
          !src.isEmpty() || !vals.isEmpty() || !objs.isEmpty()
              ? Status.changed
              : fp != tp ? Status.moved : Status.unchanged;
      layers.add(new LayerChange(t.name(), status, type(f), type(t), fp, tp, src, vals, objs));
    }
    for (Layer f : from) {
      if (!toPos.containsKey(f.name())) {
        layers.add(
            new LayerChange(
                f.name(),
                Status.removed,
                type(f),
                "",
                fromPos.get(f.name()),
                -1,
                paths(source(f), new TreeMap<>()),
                paths(values(f), new TreeMap<>()),
                objects(manifests(f), List.of())));
      }
    }
    boolean identical =
        vars.isEmpty() && layers.stream().allMatch(l -> l.status() == Status.unchanged);
    return new Diff(fromLabel, toLabel, identical, vars, layers);
  }

  /** Path-by-path changes between two flat maps, in path order. */
  static List<PathChange> paths(SortedMap<String, String> a, SortedMap<String, String> b) {
    List<PathChange> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      String x = a.get(k);
      String y = b.get(k);
      if (x == null) {
        out.add(new PathChange(k, Change.added, "", y));
      } else if (y == null) {
        out.add(new PathChange(k, Change.removed, x, ""));
      } else if (!x.equals(y)) {
        out.add(new PathChange(k, Change.changed, x, y));
      }
    }
    return out;
  }

  /** Objects matched by identity; each changed one lists its changed paths. */
  static List<ObjectChange> objects(List<Object> from, List<Object> to) {
    Map<String, SortedMap<String, String>> a = byIdentity(from);
    Map<String, SortedMap<String, String>> b = byIdentity(to);
    List<ObjectChange> out = new ArrayList<>();
    TreeSet<String> ids = new TreeSet<>(a.keySet());
    ids.addAll(b.keySet());
    for (String id : ids) {
      if (!a.containsKey(id)) {
        out.add(new ObjectChange(id, Change.added, List.of()));
      } else if (!b.containsKey(id)) {
        out.add(new ObjectChange(id, Change.removed, List.of()));
      } else {
        List<PathChange> p = paths(a.get(id), b.get(id));
        if (!p.isEmpty()) {
          out.add(new ObjectChange(id, Change.changed, p));
        }
      }
    }
    return out;
  }

  private static Map<String, SortedMap<String, String>> byIdentity(List<Object> objects) {
    Map<String, SortedMap<String, String>> out = new LinkedHashMap<>();
    int n = 0;
    for (Object o : objects) {
      out.put(identity(o, n++), YamlPaths.flatten(o));
    }
    return out;
  }

  /** {@code Kind/namespace/name}, or the document's position when it names no object. */
  static String identity(Object o, int position) {
    if (o instanceof Map<?, ?> m
        && m.get("kind") != null
        && m.get("metadata") instanceof Map<?, ?> md) {
      Object ns = md.get("namespace");
      return m.get("kind") + "/" + (ns == null ? "" : ns + "/") + md.get("name");
    }
    return "document " + position;
  }

  private static List<Object> manifests(Layer l) {
    if (!(l instanceof Layer.ManifestLayer m)) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    for (Manifest doc : m.manifests()) {
      out.addAll(YamlPaths.documents(doc.content()));
    }
    return out;
  }

  private static SortedMap<String, String> values(Layer l) {
    return switch (l) {
      case Layer.HelmLayer h -> YamlPaths.flatten(h.values());
      case Layer.PackLayer p -> YamlPaths.flatten(p.values());
      case Layer.ManifestLayer m -> new TreeMap<>();
      case Layer.ZarfLayer z -> new TreeMap<>();
    };
  }

  private static SortedMap<String, String> source(Layer l) {
    return switch (l) {
      case Layer.HelmLayer h -> YamlPaths.flatten(tree(h.chart()));
      case Layer.PackLayer p -> YamlPaths.flatten(tree(p.pack()));
      case Layer.ZarfLayer z -> YamlPaths.flatten(tree(z.zarf()));
      case Layer.ManifestLayer m -> new TreeMap<>();
    };
  }

  static String type(Layer l) {
    return switch (l) {
      case Layer.HelmLayer h -> "helm";
      case Layer.PackLayer p -> "pack";
      case Layer.ZarfLayer z -> "zarf";
      case Layer.ManifestLayer m -> "manifest";
    };
  }

  private static SortedMap<String, String> variables(List<Variable> vars) {
    Map<String, Object> byName = new TreeMap<>();
    for (Variable v : vars) {
      byName.put(v.name(), tree(v));
    }
    return YamlPaths.flatten(byName);
  }

  private static Object tree(Object value) {
    return EventJson.mapper().convertValue(value, Object.class);
  }

  private static Map<String, Integer> positions(List<Layer> layers) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      out.putIfAbsent(layers.get(i).name(), i);
    }
    return out;
  }
}
