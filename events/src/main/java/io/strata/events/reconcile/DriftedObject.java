package io.strata.events.reconcile;

import java.util.List;

/** A live object that no longer matches the desired state, with the paths that differ. */
public record DriftedObject(ObjectRef object, String layer, List<String> paths, boolean missing) {
  public DriftedObject {
    paths = paths == null ? List.of() : List.copyOf(paths);
  }
}
