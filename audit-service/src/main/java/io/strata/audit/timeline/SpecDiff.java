package io.strata.audit.timeline;

import io.strata.events.EventJson;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two generations of a cluster's spec compared, pure: profiles (version and revision), variables,
 * and overrides. A line is {@code overridden} when the current spec overrides something of it, so
 * the dashboard can mark what is this cluster's own and not its profiles'.
 */
public final class SpecDiff {
  private SpecDiff() {}

  public enum Area {
    profile,
    variable,
    override
  }

  public enum Change {
    added,
    removed,
    changed,
    same
  }

  public record Line(
      Area area, String key, Change change, String from, String to, boolean overridden) {}

  public static List<Line> between(ClusterSpec earlier, ClusterSpec current) {
    List<Line> out = new ArrayList<>();
    Map<String, String> a = profiles(earlier);
    Map<String, String> b = profiles(current);
    TreeSet<String> overriddenProfiles = new TreeSet<>();
    current.overrides().forEach(o -> overriddenProfiles.add(o.profileId().value()));
    Map<String, String> names = new TreeMap<>();
    earlier.profiles().forEach(p -> names.put(p.profileId().value(), p.name()));
    current.profiles().forEach(p -> names.put(p.profileId().value(), p.name()));
    for (String id : union(a, b)) {
      out.add(
          line(
              Area.profile,
              names.get(id) + " (" + id + ")",
              a.get(id),
              b.get(id),
              overriddenProfiles.contains(id)));
    }
    Map<String, String> va = new TreeMap<>(earlier.variables());
    Map<String, String> vb = new TreeMap<>(current.variables());
    for (String k : union(va, vb)) {
      out.add(line(Area.variable, k, va.get(k), vb.get(k), false));
    }
    Map<String, String> oa = overrides(earlier);
    Map<String, String> ob = overrides(current);
    for (String k : union(oa, ob)) {
      out.add(line(Area.override, k, oa.get(k), ob.get(k), ob.containsKey(k)));
    }
    return out;
  }

  private static Line line(Area area, String key, String from, String to, boolean overridden) {
    Change c =
        from == null
            ? Change.added
            : to == null ? Change.removed : from.equals(to) ? Change.same : Change.changed;
    return new Line(area, key, c, from == null ? "" : from, to == null ? "" : to, overridden);
  }

  private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static Map<String, String> profiles(ClusterSpec s) {
    Map<String, String> out = new TreeMap<>();
    for (AttachedProfile p : s.profiles()) {
      out.put(p.profileId().value(), p.version() + "@" + p.revision());
    }
    return out;
  }

  private static Map<String, String> overrides(ClusterSpec s) {
    Map<String, String> out = new TreeMap<>();
    for (LayerOverride o : s.overrides()) {
      String what =
          (o.values().isBlank() ? "" : "values: " + o.values().strip())
              + (o.patches().isEmpty() ? "" : " patches: " + EventJson.write(o.patches()));
      out.put(o.profileId().value() + "/" + o.layer(), what.strip());
    }
    return out;
  }
}
