package io.strata.profile.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.LayerChange;
import io.strata.events.profile.LayerChange.Kind;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.PackRef;
import io.strata.events.profile.ZarfRef;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LayerChangesTest {
  static Layer manifest(String name, String content) {
    return new Layer.ManifestLayer(name, List.of(new Manifest(name, content)));
  }

  static Layer helm(String name, String chart, String values) {
    return new Layer.HelmLayer(name, new ChartRef(chart, "1.0.0", "", ""), values);
  }

  @Test
  @DisplayName(
      "added, removed, swapped (other type or chart), reconfigured (values only) are told apart")
  void kinds() {
    List<Layer> before =
        List.of(
            manifest("web", "a"),
            helm("ingress", "nginx", "x: 1"),
            helm("db", "postgres", ""),
            new Layer.ZarfLayer("bundle", new ZarfRef("oci://r/p", "1")));
    List<Layer> after =
        List.of(
            manifest("web", "b"),
            helm("ingress", "traefik", "x: 1"),
            new Layer.PackLayer("db", new PackRef("postgres", "1.0.0", ""), ""),
            manifest("monitoring", "m"));
    assertThat(LayerChanges.between(before, after))
        .containsExactlyInAnyOrder(
            new LayerChange("web", Kind.RECONFIGURED),
            new LayerChange("ingress", Kind.SWAPPED),
            new LayerChange("db", Kind.SWAPPED),
            new LayerChange("monitoring", Kind.ADDED),
            new LayerChange("bundle", Kind.REMOVED));
  }

  @Test
  void reorderingIsAMove() {
    List<Layer> before = List.of(manifest("a", "1"), manifest("b", "2"));
    List<Layer> after = List.of(manifest("b", "2"), manifest("a", "1"));
    assertThat(LayerChanges.between(before, after))
        .containsExactly(new LayerChange("b", Kind.MOVED), new LayerChange("a", Kind.MOVED));
  }

  @Test
  void identicalListsHaveNoChanges() {
    List<Layer> layers = List.of(manifest("a", "1"), helm("b", "c", "v: 1"));
    assertThat(LayerChanges.between(layers, List.copyOf(layers))).isEmpty();
  }
}
