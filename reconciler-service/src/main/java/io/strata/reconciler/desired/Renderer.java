package io.strata.reconciler.desired;

import io.strata.events.ClusterId;
import io.strata.events.EventJson;
import io.strata.events.cluster.AttachedProfile;
import io.strata.events.cluster.ClusterSpec;
import io.strata.events.cluster.LayerOverride;
import io.strata.events.cluster.ManifestPatch;
import io.strata.events.cluster.SealedValues;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import io.strata.kit.catalog.Catalog;
import io.strata.values.MergePatch;
import io.strata.values.Templates;
import io.strata.values.Values;
import io.strata.values.Yamls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's desired state from its spec: every layer of every attached profile in order —
 * manifests with {@code {{ .strata.var.NAME }}} resolved, charts rendered by the real Helm engine
 * with pack defaults ⊕ layer values ⊕ the cluster's value overrides — then the override's merge
 * patches, our labels, and a digest of the whole. Same input, byte-identical output.
 */
public final class Renderer {
  public static final String LABEL_CLUSTER = "strata.io/cluster";
  public static final String LABEL_PROFILE = "strata.io/profile";
  public static final String LABEL_LAYER = "strata.io/layer";
  public static final String LABEL_GENERATION = "strata.io/generation";

  private Renderer() {}

  /** The objects, in install order, and the sha256 of their canonical JSON. */
  public record Rendered(long generation, List<DesiredObject> objects, String digest) {}

  /**
   * Opens a sensitive variable's sealed reference; empty when it cannot be opened here. Rendering
   * for a view (not an apply) uses {@link #MASKED}.
   */
  @FunctionalInterface
  public interface Secrets {
    Optional<String> open(String ref);

    /** Nothing opens: a sealed variable fails the render. */
    Secrets NONE = ref -> Optional.empty();

    /** Every sealed variable renders as a placeholder: for showing, never for applying. */
    Secrets MASKED = ref -> Optional.of(SealedValues.HIDDEN);
  }

  public static Rendered render(
      ClusterId cluster, ClusterSpec spec, Catalog catalog, Charts charts, Secrets secrets)
      throws RenderFailure {
    List<DesiredObject> out = new ArrayList<>();
    Map<String, DesiredObject> seen = new java.util.HashMap<>();
    for (AttachedProfile p : spec.profiles()) {
      Catalog.Content content =
          catalog
              .content(p.profileId(), p.version(), p.revision())
              .orElseThrow(
                  () ->
                      new RenderFailure(
                          p.name()
                              + " "
                              + p.version()
                              + " revision "
                              + p.revision()
                              + " is not known here yet",
                          true));
      Map<String, String> variables = variables(content, spec.variables(), p.name(), secrets);
      for (Layer layer : content.layers()) {
        Optional<LayerOverride> override =
            spec.overrides().stream()
                .filter(o -> o.targets(p.profileId(), layer.name()))
                .findFirst();
        List<Map<String, Object>> objects = objects(p, layer, variables, override, catalog, charts);
        for (Map<String, Object> body : objects) {
          for (LayerOverride o : override.stream().toList()) {
            body = patched(body, o);
          }
          if (!(body.get("metadata") instanceof Map<?, ?> md) || md.get("name") == null) {
            throw new RenderFailure(
                p.name()
                    + " layer "
                    + layer.name()
                    + ": an override patch left an object without"
                    + " metadata.name",
                false);
          }
          DesiredObject object = labelled(cluster, spec.generation(), p, layer.name(), body);
          DesiredObject twin = seen.putIfAbsent(object.key(), object);
          if (twin != null) {
            throw new RenderFailure(
                object.key()
                    + " comes from both "
                    + twin.profile()
                    + "/"
                    + twin.layer()
                    + " and "
                    + p.name()
                    + "/"
                    + layer.name()
                    + ": an object has one owner",
                false);
          }
          out.add(object);
        }
      }
    }
    return new Rendered(spec.generation(), List.copyOf(out), digest(out));
  }

  private static List<Map<String, Object>> objects(
      AttachedProfile p,
      Layer layer,
      Map<String, String> variables,
      Optional<LayerOverride> override,
      Catalog catalog,
      Charts charts)
      throws RenderFailure {
    String where = p.name() + " layer " + layer.name();
    return switch (layer) {
      case Layer.ManifestLayer m -> {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (var manifest : m.manifests()) {
          objects.addAll(
              documents(
                  where,
                  Templates.substitute(
                      manifest.content(), n -> Optional.ofNullable(variables.get(n)), n -> "")));
        }
        yield objects;
      }
      case Layer.HelmLayer h -> {
        if (!h.chart().fromRegistry()) {
          throw new RenderFailure(
              where
                  + ": charts from "
                  + h.chart().url()
                  + " are not fetched here; upload the chart"
                  + " to the pack registry",
              false);
        }
        yield chart(
            where,
            h.chart().pack(),
            h.chart().version(),
            h.chart().digest(),
            h.values(),
            layer.name(),
            variables,
            override,
            catalog,
            charts);
      }
      case Layer.PackLayer k ->
          chart(
              where,
              k.pack().name(),
              k.pack().version(),
              k.pack().digest(),
              k.values(),
              layer.name(),
              variables,
              override,
              catalog,
              charts);
      case Layer.ZarfLayer z ->
          throw new RenderFailure(
              where + ": zarf package " + z.zarf() + " cannot be read here (no zarf package store)",
              false);
    };
  }

  private static List<Map<String, Object>> chart(
      String where,
      String pack,
      String version,
      String digest,
      String layerValues,
      String release,
      Map<String, String> variables,
      Optional<LayerOverride> override,
      Catalog catalog,
      Charts charts)
      throws RenderFailure {
    Catalog.KnownPack known =
        catalog
            .pack(pack, version)
            .orElseThrow(
                () ->
                    new RenderFailure(
                        where + ": pack " + pack + " " + version + " is not known here yet", true));
    String pinned = digest.isEmpty() ? known.digest() : digest;
    if (!"HELM".equals(known.kind())) {
      return documents(
          where,
          Templates.substitute(
              charts.bundle(pack, version, pinned),
              n -> Optional.ofNullable(variables.get(n)),
              n -> ""));
    }
    Map<String, Object> values;
    try {
      values = Values.parse(known.defaultValues());
      values =
          Values.merge(
              values,
              Values.parse(
                  Templates.substitute(
                      layerValues, n -> Optional.ofNullable(variables.get(n)), n -> "")));
      if (override.isPresent()) {
        values = Values.merge(values, Values.parse(override.get().values()));
      }
    } catch (Values.NotAMapping e) {
      throw new RenderFailure(where + ": values " + e.getMessage(), false);
    }
    return charts.render(pack, version, pinned, release, values);
  }

  public static List<Map<String, Object>> documents(String where, String text)
      throws RenderFailure {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Object> docs;
    try {
      docs = Yamls.loadAll(text);
    } catch (RuntimeException e) {
      throw new RenderFailure(
          where + ": not valid YAML: " + Yamls.firstLine(e.getMessage()), false);
    }
    for (Object o : docs) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new RenderFailure(where + ": a document is not a Kubernetes object", false);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) stringKeys(m);
      if (!(body.get("metadata") instanceof Map<?, ?> md)
          || md.get("name") == null
          || body.get("apiVersion") == null
          || body.get("kind") == null) {
        throw new RenderFailure(
            where + ": an object without apiVersion, kind or metadata.name", false);
      }
      out.add(body);
    }
    return out;
  }

  /** YAML allows keys of any type; Kubernetes objects (and our digest) need strings throughout. */
  private static Object stringKeys(Object node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), stringKeys(v)));
      return out;
    }
    if (node instanceof List<?> l) {
      return l.stream().map(Renderer::stringKeys).toList();
    }
    return node;
  }

  private static Map<String, String> variables(
      Catalog.Content content, Map<String, String> cluster, String profile, Secrets secrets)
      throws RenderFailure {
    Map<String, String> out = new LinkedHashMap<>();
    for (Variable v : content.variables()) {
      String value = cluster.getOrDefault(v.name(), v.defaultValue());
      if (SealedValues.isRef(value)) {
        Optional<String> opened = secrets.open(value);
        if (opened.isEmpty()) {
          throw new RenderFailure(
              profile
                  + ": variable "
                  + v.name()
                  + " is sensitive and its sealed value cannot be opened (is the secrets key"
                  + " configured, and the same as cluster-service's?)",
              false);
        }
        value = opened.get();
      }
      out.put(v.name(), value);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> patched(Map<String, Object> body, LayerOverride o) {
    Map<String, Object> out = body;
    for (String json : o.patches()) {
      ManifestPatch p = ManifestPatch.read(json);
      if (p.target().matches(out)) {
        out = (Map<String, Object>) MergePatch.apply(out, p.patch());
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static DesiredObject labelled(
      ClusterId cluster,
      long generation,
      AttachedProfile p,
      String layer,
      Map<String, Object> body) {
    Map<String, Object> out = (Map<String, Object>) MergePatch.apply(body, Map.of());
    Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) out.get("metadata"));
    Map<String, Object> labels =
        metadata.get("labels") instanceof Map<?, ?> l
            ? new LinkedHashMap<>((Map<String, Object>) l)
            : new LinkedHashMap<>();
    labels.put(LABEL_CLUSTER, cluster.value());
    labels.put(LABEL_PROFILE, p.name());
    labels.put(LABEL_LAYER, layer);
    labels.put(LABEL_GENERATION, String.valueOf(generation));
    metadata.put("labels", labels);
    out.put("metadata", metadata);
    String namespace =
        metadata.get("namespace") == null ? "" : String.valueOf(metadata.get("namespace"));
    return new DesiredObject(
        String.valueOf(out.get("apiVersion")),
        String.valueOf(out.get("kind")),
        namespace,
        String.valueOf(metadata.get("name")),
        p.name(),
        layer,
        out);
  }

  private static String digest(List<DesiredObject> objects) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (DesiredObject o : objects) {
        sha.update(EventJson.write(o.body()).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
