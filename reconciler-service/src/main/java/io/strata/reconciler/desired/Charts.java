package io.strata.reconciler.desired;

import java.util.List;
import java.util.Map;

/**
 * Packs of the registry, fetched by digest: charts rendered by the real Helm engine, bundles read.
 */
public interface Charts {
  /**
   * The objects of chart {@code pack}/{@code version} (its archive must have {@code digest})
   * rendered as release {@code release} with {@code values}.
   */
  List<Map<String, Object>> render(
      String pack, String version, String digest, String release, Map<String, Object> values)
      throws RenderFailure;

  /** The YAML of a manifests bundle (its content must have {@code digest}). */
  String bundle(String pack, String version, String digest) throws RenderFailure;
}
