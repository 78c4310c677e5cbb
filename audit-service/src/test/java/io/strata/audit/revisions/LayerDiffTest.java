package io.strata.audit.revisions;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LayerDiffTest {
  static Layer helm(String name, String version, String values) {
    return new Layer.HelmLayer(name, new ChartRef("ingress-nginx", version, "", ""), values);
  }

  static Layer manifest(String name, String content) {
    return new Layer.ManifestLayer(name, List.of(new Manifest(name, content)));
  }

  static LayerDiff.Diff diff(List<Layer> a, List<Layer> b) {
    return LayerDiff.between("1.0.0@1", List.of(), a, "1.0.0@2", List.of(), b);
  }

  @Test
  @DisplayName("values are compared as YAML paths, naming each changed, added and removed path")
  void valuesAsPaths() {
    LayerDiff.Diff d =
        diff(
            List.of(
                helm("ingress", "4.10.0", "controller:\n  replicaCount: 2\n  image: {tag: a}\n")),
            List.of(helm("ingress", "4.10.0", "controller:\n  replicaCount: 3\n  extra: [x]\n")));
    LayerDiff.LayerChange l = d.layers().getFirst();
    assertThat(l.status()).isEqualTo(LayerDiff.Status.changed);
    assertThat(l.values())
        .extracting(LayerDiff.PathChange::path, LayerDiff.PathChange::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("controller.extra[0]", LayerDiff.Change.added),
            org.assertj.core.groups.Tuple.tuple("controller.image.tag", LayerDiff.Change.removed),
            org.assertj.core.groups.Tuple.tuple(
                "controller.replicaCount", LayerDiff.Change.changed));
    assertThat(d.identical()).isFalse();
  }

  @Test
  @DisplayName("manifests are compared as objects by kind, namespace and name")
  void manifestsAsObjects() {
    String a =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: web}\ndata: {k: v}\n---\n"
            + "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n";
    String b =
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: web}\ndata: {k: w}\n---\n"
            + "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n";
    LayerDiff.LayerChange l =
        diff(List.of(manifest("web", a)), List.of(manifest("web", b))).layers().getFirst();
    assertThat(l.objects())
        .extracting(LayerDiff.ObjectChange::object, LayerDiff.ObjectChange::change)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ConfigMap/web/cfg", LayerDiff.Change.changed),
            org.assertj.core.groups.Tuple.tuple("Secret/s", LayerDiff.Change.added));
    assertThat(l.objects().getFirst().paths())
        .extracting(LayerDiff.PathChange::path)
        .containsExactly("data.k");
  }

  @Test
  @DisplayName("layers added, removed, moved, and a changed chart version are named")
  void layersAddedRemovedMoved() {
    LayerDiff.Diff d =
        diff(
            List.of(
                manifest("a", "kind: A\nmetadata: {name: a}\n"),
                helm("b", "1.0.0", ""),
                manifest("gone", "")),
            List.of(
                helm("b", "1.1.0", ""),
                manifest("a", "kind: A\nmetadata: {name: a}\n"),
                manifest("new", "")));
    assertThat(d.layers())
        .extracting(LayerDiff.LayerChange::layer, LayerDiff.LayerChange::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", LayerDiff.Status.changed),
            org.assertj.core.groups.Tuple.tuple("a", LayerDiff.Status.moved),
            org.assertj.core.groups.Tuple.tuple("new", LayerDiff.Status.added),
            org.assertj.core.groups.Tuple.tuple("gone", LayerDiff.Status.removed));
    assertThat(d.layers().getFirst().source())
        .extracting(LayerDiff.PathChange::path)
        .containsExactly("version");
  }

  @Test
  @DisplayName("the same content is identical; text that is not YAML is still compared")
  void identicalAndUnparseable() {
    assertThat(
            diff(List.of(helm("b", "1", "a: 1\n")), List.of(helm("b", "1", "a: 1\n"))).identical())
        .isTrue();
    LayerDiff.Diff d = diff(List.of(helm("b", "1", "a: [1\n")), List.of(helm("b", "1", "a: [2\n")));
    assertThat(d.layers().getFirst().values())
        .extracting(LayerDiff.PathChange::path)
        .containsExactly("(text)");
  }

  @Test
  @DisplayName("a YAML alias bomb is not expanded")
  void aliasBomb() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x]\n");
    for (int i = 1; i < 40; i++) {
      y.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [*a")
          .append(i - 1)
          .append(", *a")
          .append(i - 1)
          .append("]\n");
    }
    assertThat(YamlPaths.flatten(y.toString())).containsOnlyKeys("(text)");
  }
}
