package io.strata.reconciler.preview;

import io.strata.events.reconcile.ObjectRef;
import io.strata.reconciler.desired.DesiredObject;
import io.strata.reconciler.desired.Renderer;
import io.strata.reconciler.drift.Drift;
import io.strata.values.ValuePath;
import io.strata.values.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What applying a candidate desired state would do to a cluster, computed without applying: the
 * objects it would create, change (with the fields that change) and prune. Pure.
 */
public final class Preview {
  private Preview() {}

  /**
   * The generation label always changes with a new generation: it is not a change worth showing.
   */
  private static final String GENERATION_LABEL =
      ValuePath.of("metadata", "labels", Renderer.LABEL_GENERATION).toString();

  public record ObjectKey(
      String apiVersion, String kind, String namespace, String name, String layer) {}

  /** One field: {@code from} is the live value, {@code to} the candidate's (empty = removed). */
  public record FieldChange(String path, Optional<Object> from, Optional<Object> to) {}

  public record Changed(ObjectKey object, List<FieldChange> changes) {}

  public record Result(
      List<ObjectKey> created, List<Changed> changed, List<ObjectKey> pruned, int unchanged) {}

  /**
   * @param candidate what the cluster would run
   * @param current what it runs now (its fields no longer in the candidate are removed by an apply)
   * @param live the cluster's objects labelled as its own, and the candidate's it holds, by key
   */
  public static Result of(
      String clusterId,
      List<DesiredObject> candidate,
      List<DesiredObject> current,
      Map<String, Map<String, Object>> live) {
    List<ObjectKey> created = new ArrayList<>();
    List<Changed> changed = new ArrayList<>();
    int unchanged = 0;
    Set<String> wanted = new TreeSet<>();
    for (DesiredObject o : candidate) {
      wanted.add(o.key());
      ObjectKey key = new ObjectKey(o.apiVersion(), o.kind(), o.namespace(), o.name(), o.layer());
      Map<String, Object> body = live.get(o.key());
      if (body == null) {
        created.add(key);
        continue;
      }
      List<FieldChange> changes = new ArrayList<>();
      for (Drift.Difference d : Drift.differences(o.body(), body)) {
        if (!d.path().equals(GENERATION_LABEL)) {
          changes.add(new FieldChange(d.path(), d.live(), Optional.ofNullable(d.desired())));
        }
      }
      current.stream()
          .filter(c -> c.key().equals(o.key()))
          .findFirst()
          .ifPresent(c -> removed(c.body(), o.body(), body, changes));
      if (changes.isEmpty()) {
        unchanged++;
      } else {
        changed.add(new Changed(key, changes));
      }
    }
    List<ObjectKey> pruned = new ArrayList<>();
    live.forEach(
        (key, body) -> {
          if (!wanted.contains(key)
              && clusterId.equals(DesiredObject.label(body, Renderer.LABEL_CLUSTER))) {
            pruned.add(keyOf(key, body));
          }
        });
    return new Result(created, changed, pruned, unchanged);
  }

  /** Fields Strata manages now that the candidate no longer sets: an apply removes them. */
  private static void removed(
      Map<String, Object> now,
      Map<String, Object> candidate,
      Map<String, Object> live,
      List<FieldChange> changes) {
    Set<ValuePath> kept = Values.leaves(candidate).keySet();
    for (ValuePath p : Values.leaves(now).keySet()) {
      if (!kept.contains(p) && Values.at(candidate, p).isEmpty()) {
        changes.add(new FieldChange(p.toString(), Values.at(live, p), Optional.empty()));
      }
    }
  }

  private static ObjectKey keyOf(String key, Map<String, Object> body) {
    ObjectRef ref = DesiredObject.refOf(key);
    return new ObjectKey(
        ref.apiVersion(),
        ref.kind(),
        ref.namespace(),
        ref.name(),
        String.valueOf(DesiredObject.label(body, Renderer.LABEL_LAYER)));
  }
}
