package io.strata.reconciler.drift;

import io.strata.events.reconcile.DriftedObject;
import io.strata.events.reconcile.ObjectRef;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.values.ValuePath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares live objects with desired ones on the fields Strata manages: only what the desired
 * object sets is compared, so fields the API server or controllers add (status, uid, defaults
 * inside list items) are never drift. Lists are compared item by item with the same rule; a live
 * list of another length is a difference at the list itself. Pure.
 */
public final class Drift {
  private Drift() {}

  /** A managed field whose live value is not the desired one; {@code live} empty when absent. */
  public record Difference(String path, Object desired, Optional<Object> live) {}

  /** Every managed field of {@code desired} that {@code live} does not hold, in path order. */
  public static List<Difference> differences(
      Map<String, Object> desired, Map<String, Object> live) {
    List<Difference> out = new ArrayList<>();
    compare(new ValuePath(List.of()), desired, live, out);
    return out;
  }

  /**
   * The drifted objects of a cluster: each desired object missing from {@code live} (keyed by
   * {@link DesiredObject#key()}) or differing in a managed field.
   */
  public static List<DriftedObject> drifted(
      List<DesiredObject> desired, Map<String, Map<String, Object>> live) {
    List<DriftedObject> out = new ArrayList<>();
    for (DesiredObject o : desired) {
      ObjectRef ref = new ObjectRef(o.apiVersion(), o.kind(), o.namespace(), o.name());
      Map<String, Object> body = live.get(o.key());
      if (body == null) {
        out.add(new DriftedObject(ref, o.layer(), List.of(), true));
        continue;
      }
      List<Difference> d = differences(o.body(), body);
      if (!d.isEmpty()) {
        out.add(
            new DriftedObject(ref, o.layer(), d.stream().map(Difference::path).toList(), false));
      }
    }
    return out;
  }

  private static void compare(ValuePath at, Object desired, Object live, List<Difference> out) {
    if (desired instanceof Map<?, ?> d) {
      if (!(live instanceof Map<?, ?> l)) {
        out.add(new Difference(at.toString(), desired, Optional.ofNullable(live)));
        return;
      }
      d.forEach((k, v) -> compare(at.child(String.valueOf(k)), v, l.get(k), out));
    } else if (desired instanceof List<?> d) {
      if (!(live instanceof List<?> l) || l.size() != d.size()) {
        out.add(new Difference(at.toString(), desired, Optional.ofNullable(live)));
        return;
      }
      for (int i = 0; i < d.size(); i++) {
        compare(at.child(String.valueOf(i)), d.get(i), l.get(i), out);
      }
    } else if (!same(desired, live)) {
      out.add(new Difference(at.toString(), desired, Optional.ofNullable(live)));
    }
  }

  /** Scalars: numbers by value (YAML's 5 and JSON's 5.0 are one value), the rest by equality. */
  private static boolean same(Object desired, Object live) {
    if (desired instanceof Number a && live instanceof Number b) {
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
    }
    return desired == null ? live == null : desired.equals(live);
  }
}
