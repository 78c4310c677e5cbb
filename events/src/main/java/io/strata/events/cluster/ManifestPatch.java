package io.strata.events.cluster;

import io.strata.events.EventJson;
import java.util.Map;

/**
 * One manifest patch of a {@link LayerOverride}, as {@link LayerOverride#patches()} carries it (a
 * JSON document): an RFC 7386 merge patch for the object {@code target} names.
 */
public record ManifestPatch(Target target, Map<String, Object> patch) {

  /** An object by kind and name, and namespace when given. */
  public record Target(String kind, String name, String namespace) {
    public Target {
      namespace = namespace == null ? "" : namespace;
    }

    /** Whether {@code object} (a parsed Kubernetes object) is the one this names. */
    public boolean matches(Map<String, Object> object) {
      return kind.equals(object.get("kind"))
          && object.get("metadata") instanceof Map<?, ?> md
          && name.equals(md.get("name"))
          && (namespace.isEmpty() || namespace.equals(String.valueOf(md.get("namespace"))));
    }

    @Override
    public String toString() {
      return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
  }

  public static ManifestPatch read(String json) {
    return EventJson.read(json, ManifestPatch.class);
  }

  public String write() {
    return EventJson.write(this);
  }
}
