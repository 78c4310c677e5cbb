package io.strata.cluster.domain;

import io.strata.cluster.domain.Overrides.Conflict;
import io.strata.cluster.domain.Overrides.Pin;
import io.strata.events.ProfileId;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.cluster.ManifestPatch;
import io.strata.events.cluster.SealedValues;
import io.strata.events.profile.Layer;
import io.strata.kit.catalog.Catalog;
import io.strata.values.ValuePath;
import io.strata.values.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The differential view: for the current spec and a candidate (a version, a revision, an earlier
 * generation), per profile and layer the candidate's base, the overrides, the effective result,
 * every path an override sets, what changes from now, and the conflicts. Pure.
 */
public final class ClusterDiff {
  private ClusterDiff() {}

  public record Diff(
      long currentGeneration,
      boolean changes,
      List<ProfileDiff> profiles,
      List<ValueChange> variables,
      List<Conflict> conflicts) {}

  /** {@code change}: added, removed, upgrade, downgrade, revision, unchanged. */
  public record ProfileDiff(
      ProfileId profileId,
      String name,
      Optional<Pin> from,
      Optional<Pin> to,
      String change,
      List<LayerDiff> layers) {}

  /**
   * One layer. {@code base} and {@code effective} are the candidate's (values as a mapping, or a
   * manifest layer's objects); {@code current} is what the cluster has now. {@code change}: added,
   * removed, swapped (another type), changed, unchanged.
   */
  public record LayerDiff(
      String layer,
      String type,
      String change,
      Object base,
      Optional<OverrideView> overrides,
      Object effective,
      Object current,
      List<String> overriddenPaths,
      List<ValueChange> changes,
      List<Conflict> conflicts) {}

  public record OverrideView(String values, List<ManifestPatch> patches, Pin basedOn) {}

  public record ValueChange(String path, String from, String to) {}

  public static Diff compute(ClusterSpec current, ClusterSpec candidate, Catalog catalog) {
    List<ProfileDiff> profiles = new ArrayList<>();
    List<Conflict> allConflicts = new ArrayList<>();
    Set<ProfileId> ids = new LinkedHashSet<>();
    current.profiles().forEach(p -> ids.add(p.profileId()));
    candidate.profiles().forEach(p -> ids.add(p.profileId()));
    boolean changes = false;
    for (ProfileId id : ids) {
      Optional<AttachedProfile> now = find(current, id);
      Optional<AttachedProfile> next = find(candidate, id);
      String name = next.or(() -> now).map(AttachedProfile::name).orElse("");
      List<LayerDiff> layers = new ArrayList<>();
      Map<String, Layer> nowLayers = layers(catalog, now);
      Map<String, Layer> nextLayers = layers(catalog, next);
      Set<String> names = new LinkedHashSet<>(nextLayers.keySet());
      names.addAll(nowLayers.keySet());
      for (String layer : names) {
        LayerDiff d =
            layer(
                id,
                layer,
                Optional.ofNullable(nowLayers.get(layer)),
                Optional.ofNullable(nextLayers.get(layer)),
                current,
                candidate,
                catalog);
        changes |= !d.change().equals("unchanged");
        allConflicts.addAll(d.conflicts());
        layers.add(d);
      }
      String change = Attachments.change(now, next);
      changes |= !change.equals("unchanged");
      profiles.add(
          new ProfileDiff(
              id, name, now.map(ClusterDiff::pin), next.map(ClusterDiff::pin), change, layers));
    }
    List<ValueChange> variables = new ArrayList<>();
    Set<String> keys = new TreeSet<>(current.variables().keySet());
    keys.addAll(candidate.variables().keySet());
    for (String k : keys) {
      String a = shown(current.variables().get(k));
      String b = shown(candidate.variables().get(k));
      if (!a.equals(b)
          || !java.util.Objects.equals(current.variables().get(k), candidate.variables().get(k))) {
        variables.add(new ValueChange(k, a, b));
      }
    }
    changes |= !variables.isEmpty();
    return new Diff(current.generation(), changes, profiles, variables, allConflicts);
  }

  private static LayerDiff layer(
      ProfileId id,
      String name,
      Optional<Layer> now,
      Optional<Layer> next,
      ClusterSpec current,
      ClusterSpec candidate,
      Catalog catalog) {
    Optional<LayerOverride> nowOverride = override(current, id, name);
    Optional<LayerOverride> nextOverride = override(candidate, id, name);
    Optional<LayerBase> nowBase = now.map(l -> LayerBase.of(l, values(catalog, current, id)));
    Optional<LayerBase> nextBase = next.map(l -> LayerBase.of(l, values(catalog, candidate, id)));
    Object currentEffective = nowBase.map(b -> effective(b, nowOverride)).orElse(null);
    Object effective = nextBase.map(b -> effective(b, nextOverride)).orElse(null);
    String type = next.or(() -> now).map(LayerBase::typeOf).orElse("");
    String change;
    if (now.isEmpty()) {
      change = "added";
    } else if (next.isEmpty()) {
      change = "removed";
    } else if (!LayerBase.typeOf(now.get()).equals(LayerBase.typeOf(next.get()))) {
      change = "swapped";
    } else {
      change =
          java.util.Objects.equals(currentEffective, effective) && now.get().equals(next.get())
              ? "unchanged"
              : "changed";
    }
    List<ValueChange> changes = new ArrayList<>();
    if (change.equals("changed")) {
      changes = changes(currentEffective, effective);
    }
    List<String> overridden = nextOverride.map(Overrides::paths).orElse(List.of());
    List<Conflict> conflicts = new ArrayList<>();
    if (nextOverride.isPresent() && nextBase.isPresent()) {
      LayerOverride o = nextOverride.get();
      Overrides.base(catalog, id, o.baseVersion(), o.baseRevision(), name, candidate.variables())
          .ifPresent(then -> conflicts.addAll(Overrides.conflicts(o, then, nextBase.get())));
    }
    return new LayerDiff(
        name,
        type,
        change,
        nextBase.map(ClusterDiff::content).orElse(null),
        nextOverride.map(
            o ->
                new OverrideView(
                    o.values(), Overrides.patches(o), new Pin(o.baseVersion(), o.baseRevision()))),
        effective,
        currentEffective,
        overridden,
        changes,
        conflicts);
  }

  private static Object content(LayerBase b) {
    return b.takesValues() ? b.values() : b.objects();
  }

  private static Object effective(LayerBase b, Optional<LayerOverride> o) {
    if (o.isEmpty()) {
      return content(b);
    }
    return b.takesValues()
        ? Overrides.effectiveValues(b, o.get())
        : Overrides.effectiveObjects(b, o.get());
  }

  /** Paths whose effective value differs, for values and for objects (by kind/namespace/name). */
  @SuppressWarnings("unchecked")
  private static List<ValueChange> changes(Object from, Object to) {
    List<ValueChange> out = new ArrayList<>();
    if (from instanceof Map<?, ?> a && to instanceof Map<?, ?> b) {
      diff("", (Map<String, Object>) a, (Map<String, Object>) b, out);
    } else if (from instanceof List<?> a && to instanceof List<?> b) {
      Map<String, Map<String, Object>> before = byKey((List<Map<String, Object>>) a);
      Map<String, Map<String, Object>> after = byKey((List<Map<String, Object>>) b);
      Set<String> keys = new LinkedHashSet<>(after.keySet());
      keys.addAll(before.keySet());
      for (String k : keys) {
        Map<String, Object> x = before.get(k);
        Map<String, Object> y = after.get(k);
        if (x == null) {
          out.add(new ValueChange(k, "(absent)", "(created)"));
        } else if (y == null) {
          out.add(new ValueChange(k, "(present)", "(pruned)"));
        } else {
          diff(k + ": ", x, y, out);
        }
      }
    }
    return out;
  }

  private static void diff(
      String prefix, Map<String, Object> a, Map<String, Object> b, List<ValueChange> out) {
    Set<ValuePath> paths = new TreeSet<>(Values.leaves(a).keySet());
    paths.addAll(Values.leaves(b).keySet());
    for (ValuePath p : paths) {
      if (!Values.sameAt(a, b, p)) {
        out.add(
            new ValueChange(
                prefix + p, Values.show(Values.at(a, p)), Values.show(Values.at(b, p))));
      }
    }
  }

  private static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> o : objects) {
      Object md = o.get("metadata");
      String ns =
          md instanceof Map<?, ?> m && m.get("namespace") != null ? m.get("namespace") + "/" : "";
      String name = md instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : "";
      out.put(o.get("kind") + "/" + ns + name, o);
    }
    return out;
  }

  private static Map<String, Layer> layers(Catalog catalog, Optional<AttachedProfile> p) {
    Map<String, Layer> out = new LinkedHashMap<>();
    p.flatMap(a -> catalog.content(a.profileId(), a.version(), a.revision()))
        .ifPresent(c -> c.layers().forEach(l -> out.put(l.name(), l)));
    return out;
  }

  private static Map<String, String> values(Catalog catalog, ClusterSpec spec, ProfileId id) {
    return find(spec, id)
        .flatMap(a -> catalog.content(a.profileId(), a.version(), a.revision()))
        .map(c -> LayerBase.variables(c, spec.variables()))
        .orElse(spec.variables());
  }

  private static Optional<AttachedProfile> find(ClusterSpec spec, ProfileId id) {
    return Attachments.find(spec.profiles(), id);
  }

  private static Optional<LayerOverride> override(ClusterSpec spec, ProfileId id, String layer) {
    return spec.overrides().stream().filter(o -> o.targets(id, layer)).findFirst();
  }

  private static Pin pin(AttachedProfile a) {
    return new Pin(a.version(), a.revision());
  }

  private static String shown(String value) {
    if (value == null) {
      return "(absent)";
    }
    return SealedValues.isRef(value) ? SealedValues.MASK : value;
  }
}
