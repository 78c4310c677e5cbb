package io.strata.profile.write;

import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.PackKind;
import io.strata.events.profile.PackRef;
import io.strata.kit.http.Problem.FieldError;
import io.strata.profile.domain.ProfileValidation;
import io.strata.profile.read.packs.PackRecord;
import io.strata.profile.read.packs.PackRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pins every registry chart and pack a revision uses by digest, so that re-uploading a pack can
 * never change a saved revision; reports packs missing from the registry and chart URLs that are
 * not public https:// or oci:// references.
 */
@ApplicationScoped
public class PackPins {
  private final PackRegistry registry;

  PackPins(PackRegistry registry) {
    this.registry = registry;
  }

  public List<Layer> pin(Connection c, List<Layer> layers, List<FieldError> errors)
      throws SQLException {
    return pin(c, layers, errors, List.of());
  }

  /**
   * As {@link #pin(Connection, List, List)}, with {@code comingWith} counted as in the registry:
   * the packs an import embeds, checked before any of them is stored. Layers that validation
   * refuses as a whole (too many, or missing) are returned as they are; validation reports them.
   */
  public List<Layer> pin(
      Connection c, List<Layer> layers, List<FieldError> errors, List<PackRecord> comingWith)
      throws SQLException {
    if (layers.size() > ProfileValidation.MAX_LAYERS || layers.stream().anyMatch(l -> l == null)) {
      return layers;
    }
    List<Layer> out = new ArrayList<>(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String at = "layers[" + i + "]";
      switch (layer) {
        case Layer.HelmLayer h when h.chart().fromRegistry() -> {
          Optional<PackRecord> pack = find(c, h.chart().pack(), h.chart().version(), comingWith);
          String digest =
              checked(
                  at + ".chart",
                  h.chart().pack(),
                  h.chart().version(),
                  h.chart().digest(),
                  pack,
                  errors);
          if (pack.isPresent() && pack.get().kind() != PackKind.HELM) {
            errors.add(
                new FieldError(at + ".chart", "pack " + h.chart().pack() + " is not a Helm chart"));
          }
          out.add(
              new Layer.HelmLayer(
                  h.name(),
                  new ChartRef(h.chart().pack(), h.chart().version(), "", digest),
                  h.values()));
        }
        case Layer.HelmLayer h -> {
          PublicChartUrls.problem(h.chart().url())
              .ifPresent(p -> errors.add(new FieldError(at + ".chart.url", p)));
          out.add(h);
        }
        case Layer.PackLayer p -> {
          Optional<PackRecord> pack = find(c, p.pack().name(), p.pack().version(), comingWith);
          String digest =
              checked(
                  at + ".pack",
                  p.pack().name(),
                  p.pack().version(),
                  p.pack().digest(),
                  pack,
                  errors);
          out.add(
              new Layer.PackLayer(
                  p.name(), new PackRef(p.pack().name(), p.pack().version(), digest), p.values()));
        }
        case Layer.ManifestLayer m -> out.add(m);
        case Layer.ZarfLayer z -> out.add(z);
      }
    }
    return out;
  }

  private Optional<PackRecord> find(
      Connection c, String name, String version, List<PackRecord> comingWith) throws SQLException {
    Optional<PackRecord> coming =
        comingWith.stream()
            .filter(p -> p.name().equals(name) && p.version().equals(version))
            .findFirst();
    return coming.isPresent() ? coming : registry.find(c, name, version);
  }

  private static String checked(
      String field,
      String name,
      String version,
      String given,
      Optional<PackRecord> pack,
      List<FieldError> errors) {
    if (name.isEmpty() || version.isEmpty()) {
      return given; // reported by ProfileValidation
    }
    if (pack.isEmpty()) {
      errors.add(
          new FieldError(
              field,
              "pack "
                  + name
                  + " "
                  + version
                  + " is not in the registry (upload it: POST /api/v1/packs)"));
      return given;
    }
    if (!given.isEmpty() && !given.equals(pack.get().digest())) {
      errors.add(
          new FieldError(
              field,
              "digest "
                  + given
                  + " is not the registry's "
                  + pack.get().digest()
                  + " for "
                  + name
                  + " "
                  + version));
    }
    return pack.get().digest();
  }
}
