package io.strata.cluster.domain;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.cluster.ManifestPatch;
import io.strata.kit.catalog.Catalog;
import io.strata.values.MergePatch;
import io.strata.values.ValuePath;
import io.strata.values.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an override does to its layer: the effective content, the paths it sets, and the conflicts —
 * paths it sets whose base value changed since the override was written.
 */
public final class Overrides {
  private Overrides() {}

  /** A path the override sets whose base value is not what it was when the override was written. */
  public record Conflict(
      ProfileId profileId,
      String layer,
      String path,
      String overrideValue,
      String baseWhenWritten,
      String baseNow) {}

  public static Map<String, Object> values(LayerOverride o) {
    try {
      return Values.parse(o.values());
    } catch (Values.NotAMapping e) {
      return Map.of();
    }
  }

  public static List<ManifestPatch> patches(LayerOverride o) {
    return o.patches().stream().map(ManifestPatch::read).toList();
  }

  /** Every path the override sets: {@code replicas}, {@code Deployment/web: spec.replicas}. */
  public static List<String> paths(LayerOverride o) {
    List<String> out = new ArrayList<>();
    Values.leaves(values(o)).keySet().forEach(p -> out.add(p.toString()));
    for (ManifestPatch p : patches(o)) {
      Values.leaves(p.patch()).keySet().forEach(path -> out.add(p.target() + ": " + path));
    }
    return out;
  }

  /** Base values with the override's values deep-merged over them. */
  public static Map<String, Object> effectiveValues(LayerBase base, LayerOverride o) {
    return Values.merge(base.values(), values(o));
  }

  /** The layer's objects with the override's patches applied. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> effectiveObjects(LayerBase base, LayerOverride o) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<ManifestPatch> patches = patches(o);
    for (Map<String, Object> obj : base.objects()) {
      Map<String, Object> cur = obj;
      for (ManifestPatch p : patches) {
        if (p.target().matches(obj)) {
          cur = (Map<String, Object>) MergePatch.apply(cur, p.patch());
        }
      }
      out.add(cur);
    }
    return out;
  }

  /** Conflicts of {@code o} if its layer's base were {@code now} instead of {@code then}. */
  public static List<Conflict> conflicts(LayerOverride o, LayerBase then, LayerBase now) {
    List<Conflict> out = new ArrayList<>();
    Values.leaves(values(o))
        .forEach(
            (path, value) -> {
              if (!Values.sameAt(then.values(), now.values(), path)) {
                out.add(conflict(o, path.toString(), value, then.values(), now.values(), path));
              }
            });
    for (ManifestPatch p : patches(o)) {
      Map<String, Object> objThen = object(then, p.target());
      Map<String, Object> objNow = object(now, p.target());
      Values.leaves(p.patch())
          .forEach(
              (path, value) -> {
                if (!Values.sameAt(objThen, objNow, path)) {
                  out.add(conflict(o, p.target() + ": " + path, value, objThen, objNow, path));
                }
              });
    }
    return out;
  }

  /** Conflicts of every override of {@code spec} against the revisions {@code candidate} pins. */
  public static List<Conflict> conflicts(
      List<LayerOverride> overrides,
      Map<ProfileId, Pin> candidate,
      Map<String, String> variables,
      Catalog catalog) {
    List<Conflict> out = new ArrayList<>();
    for (LayerOverride o : overrides) {
      Pin target = candidate.get(o.profileId());
      if (target == null) {
        continue;
      }
      Optional<LayerBase> then =
          base(catalog, o.profileId(), o.baseVersion(), o.baseRevision(), o.layer(), variables);
      Optional<LayerBase> now =
          base(catalog, o.profileId(), target.version(), target.revision(), o.layer(), variables);
      if (then.isPresent() && now.isPresent()) {
        out.addAll(conflicts(o, then.get(), now.get()));
      }
    }
    return out;
  }

  /** A version and revision of a profile. */
  public record Pin(Semver version, int revision) {}

  public static Optional<LayerBase> base(
      Catalog catalog,
      ProfileId profile,
      Semver version,
      int revision,
      String layer,
      Map<String, String> variables) {
    return catalog
        .content(profile, version, revision)
        .flatMap(c -> c.layer(layer).map(l -> LayerBase.of(l, LayerBase.variables(c, variables))));
  }

  private static Conflict conflict(
      LayerOverride o,
      String path,
      Object value,
      Map<String, Object> then,
      Map<String, Object> now,
      ValuePath at) {
    return new Conflict(
        o.profileId(),
        o.layer(),
        path,
        Values.show(Optional.ofNullable(value)),
        Values.show(Values.at(then, at)),
        Values.show(Values.at(now, at)));
  }

  private static Map<String, Object> object(LayerBase base, ManifestPatch.Target t) {
    return base.object(t).orElseGet(LinkedHashMap::new);
  }
}
