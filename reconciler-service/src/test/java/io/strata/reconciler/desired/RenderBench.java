package io.strata.reconciler.desired;

import com.marcnuri.helm.Helm;
import io.strata.events.ClusterId;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.kit.catalog.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a profile of 3 Helm charts (helm's own starter chart, through the real engine) and 20
 * manifests, as the reconciler does for one cluster, and prints p50/p99 after warm-up. Run:
 *
 * <pre>
 * ./mvnw -q -pl reconciler-service test-compile org.codehaus.mojo:exec-maven-plugin:3.6.4:java \
 *   -Dexec.classpathScope=test -Dexec.mainClass=io.strata.reconciler.desired.RenderBench
 * </pre>
 */
public final class RenderBench {
  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int measured = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path dir = Files.createDirectories(Path.of("target", "render-bench-" + System.nanoTime()));
    Map<String, Path> archives = new HashMap<>();
    Map<String, Catalog.KnownPack> packs = new HashMap<>();
    List<Layer> layers = new ArrayList<>();
    for (String name : List.of("api", "web", "worker")) {
      Helm.create().withName(name).withDir(dir).call();
      new Helm(dir.resolve(name)).packageIt().withDestination(dir).call();
      archives.put(name, dir.resolve(name + "-0.1.0.tgz"));
      packs.put(
          name + "@0.1.0",
          new Catalog.KnownPack(name, "0.1.0", "HELM", "sha256:" + name, "replicaCount: 2\n"));
      layers.add(
          new Layer.HelmLayer(
              name, new ChartRef(name, "0.1.0", "", "sha256:" + name), "service:\n  port: 8080\n"));
    }
    List<Manifest> manifests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      manifests.add(
          new Manifest(
              "m" + i,
              i % 2 == 0
                  ? "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config-"
                      + i
                      + ", namespace: shop}\ndata: {replicas: '{{ .strata.var.replicas }}'}\n"
                  : "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-"
                      + i
                      + ", namespace: shop}\nspec:\n  replicas: {{ .strata.var.replicas }}\n"
                      + "  selector: {matchLabels: {app: a"
                      + i
                      + "}}\n  template:\n    metadata: {labels: {app: a"
                      + i
                      + "}}\n    spec: {containers: [{name: c, image: 'nginx:1.27'}]}\n"));
    }
    layers.add(new Layer.ManifestLayer("app", manifests));
    Catalog catalog = RendererTest.catalog(layers, packs);
    Charts charts = RendererTest.archives(archives);
    ClusterId cluster = ClusterId.generate();
    var spec = RendererTest.spec(Map.of("replicas", "3"), List.of());
    int objects =
        Renderer.render(cluster, spec, catalog, charts, Renderer.Secrets.NONE).objects().size();
    for (int i = 0; i < warmup; i++) {
      Renderer.render(cluster, spec, catalog, charts, Renderer.Secrets.NONE);
    }
    long[] nanos = new long[measured];
    for (int i = 0; i < measured; i++) {
      long s = System.nanoTime();
      Renderer.render(cluster, spec, catalog, charts, Renderer.Secrets.NONE);
      nanos[i] = System.nanoTime() - s;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "render: 3 helm charts + 20 manifests = %d objects; after %d warm-up renders, %d measured:"
            + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        objects,
        warmup,
        measured,
        nanos[measured / 2] / 1e6,
        nanos[(int) (measured * 0.90)] / 1e6,
        nanos[(int) (measured * 0.99)] / 1e6,
        nanos[measured - 1] / 1e6);
  }
}
