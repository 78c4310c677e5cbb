package io.strata.profile.portable;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.events.Semver;
import io.strata.events.profile.ChartRef;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Manifest;
import io.strata.events.profile.PackRef;
import io.strata.events.profile.ProfileType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Maps Spectro Cloud Palette's cluster profile export to a Strata profile version, pure. Each
 * Palette pack becomes a layer: {@code manifest} packs manifest layers, {@code helm} and {@code
 * oci} packs Helm layers (from our registry when it has the chart, else from the pack's https:// or
 * oci:// repository), {@code spectro} packs pack layers (from our registry). What cannot be mapped
 * is reported, not silently dropped.
 */
public final class PaletteMapper {
  private PaletteMapper() {}

  public record Unmapped(String pack, String reason) {}

  public record Mapped(
      String name,
      ProfileType type,
      String description,
      List<String> tags,
      String version,
      List<Layer> layers,
      List<Unmapped> unmapped) {}

  public static boolean looksLikePalette(JsonNode doc) {
    return doc.path("spec").path("template").isObject() && doc.path("metadata").isObject();
  }

  /**
   * @param inRegistry whether our registry holds a pack (name, version)
   */
  public static Mapped map(JsonNode doc, BiPredicate<String, String> inRegistry) {
    JsonNode meta = doc.path("metadata");
    JsonNode template = doc.path("spec").path("template");
    List<Unmapped> unmapped = new ArrayList<>();
    String name = dnsLabel(meta.path("name").asText(""));
    String description =
        meta.path("description").asText(meta.path("annotations").path("description").asText(""));
    List<String> tags = new ArrayList<>();
    meta.path("labels")
        .properties()
        .forEach(e -> tags.add(tag(e.getKey() + "." + e.getValue().asText())));
    String version = doc.path("spec").path("version").asText("1.0.0");
    if (!Semver.isValid(version) && Semver.isValid(version + ".0")) {
      version = version + ".0";
    }
    List<Layer> layers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode p : template.path("packs")) {
      String packName = p.path("name").asText("");
      String packVersion = p.path("version").asText(p.path("tag").asText(""));
      String layerName = unique(dnsLabel(packName.isEmpty() ? "pack" : packName), names);
      String values = p.path("values").asText("");
      String registry = p.path("registry").asText("");
      switch (p.path("type").asText("spectro")) {
        case "manifest" -> {
          List<Manifest> manifests = new ArrayList<>();
          for (JsonNode m : p.path("manifests")) {
            manifests.add(
                new Manifest(
                    dnsLabel(m.path("name").asText("manifest")), m.path("content").asText("")));
          }
          if (manifests.isEmpty()) {
            unmapped.add(new Unmapped(packName, "a manifest pack without manifests"));
          } else {
            layers.add(new Layer.ManifestLayer(layerName, manifests));
          }
        }
        case "helm", "oci" -> {
          if (inRegistry.test(packName, packVersion)) {
            layers.add(
                new Layer.HelmLayer(
                    layerName, new ChartRef(packName, packVersion, "", ""), values));
          } else if (registry.startsWith("https://") || registry.startsWith("oci://")) {
            String url = registry.replaceAll("/+$", "") + "/" + packName;
            layers.add(
                new Layer.HelmLayer(layerName, new ChartRef("", packVersion, url, ""), values));
          } else {
            unmapped.add(
                new Unmapped(
                    packName,
                    "chart "
                        + packName
                        + " "
                        + packVersion
                        + " is not in Strata's registry and the pack names no https:// or oci:// repository; upload the chart, then import again"));
          }
        }
        case "spectro" -> {
          if (inRegistry.test(packName, packVersion)) {
            layers.add(
                new Layer.PackLayer(layerName, new PackRef(packName, packVersion, ""), values));
          } else {
            unmapped.add(
                new Unmapped(
                    packName,
                    "pack "
                        + packName
                        + " "
                        + packVersion
                        + " ("
                        + p.path("layer").asText("addon")
                        + " layer) is not in Strata's registry; upload it, then import again"));
          }
        }
        default ->
            unmapped.add(
                new Unmapped(packName, "unknown pack type '" + p.path("type").asText() + "'"));
      }
    }
    return new Mapped(
        name, type(template.path("type").asText("")), description, tags, version, layers, unmapped);
  }

  static ProfileType type(String palette) {
    return switch (palette.toLowerCase(Locale.ROOT)) {
      case "infra" -> ProfileType.INFRA;
      case "add-on", "addon" -> ProfileType.ADDON;
      default -> ProfileType.FULL;
    };
  }

  /** Lowercase DNS label: what Strata accepts as a name. */
  static String dnsLabel(String s) {
    String out =
        s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    if (out.length() > 63) {
      out = out.substring(0, 63).replaceAll("-+$", "");
    }
    return out.isEmpty() ? "unnamed" : out;
  }

  private static String tag(String s) {
    String t = s.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return t.length() > 63 ? t.substring(0, 63) : t;
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + "-" + i;
    }
    return candidate;
  }
}
