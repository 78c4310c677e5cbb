package io.strata.events.profile;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One layer of a profile version; layers install in the order of the version's list. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Layer.ManifestLayer.class, name = "manifest"),
  @JsonSubTypes.Type(value = Layer.HelmLayer.class, name = "helm"),
  @JsonSubTypes.Type(value = Layer.PackLayer.class, name = "pack"),
  @JsonSubTypes.Type(value = Layer.ZarfLayer.class, name = "zarf")
})
public sealed interface Layer {
  String name();

  record ManifestLayer(String name, List<Manifest> manifests) implements Layer {
    public ManifestLayer {
      manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }
  }

  record HelmLayer(String name, ChartRef chart, String values) implements Layer {
    public HelmLayer {
      chart = chart == null ? new ChartRef("", "", "", "") : chart;
      values = values == null ? "" : values;
    }
  }

  record PackLayer(String name, PackRef pack, String values) implements Layer {
    public PackLayer {
      pack = pack == null ? new PackRef("", "", "") : pack;
      values = values == null ? "" : values;
    }
  }

  record ZarfLayer(String name, ZarfRef zarf) implements Layer {
    public ZarfLayer {
      zarf = zarf == null ? new ZarfRef("", "") : zarf;
    }
  }
}
