package io.strata.profile.portable;

import io.strata.events.profile.Layer;
import io.strata.events.profile.PackKind;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import java.time.Instant;
import java.util.List;

/**
 * The portable document of one profile version: everything needed to recreate it elsewhere,
 * including the packs it pins (by digest, and with their content when embedded, base64).
 */
public record ProfileExport(
    String format,
    Instant exportedAt,
    ExportedProfile profile,
    String version,
    int revision,
    List<Variable> variables,
    List<Layer> layers,
    List<ExportedPack> packs) {
  public static final String FORMAT = "strata.profile/v1";

  public ProfileExport {
    variables = variables == null ? List.of() : variables;
    layers = layers == null ? List.of() : layers;
    packs = packs == null ? List.of() : packs;
  }

  public record ExportedProfile(
      String name, ProfileType type, String description, List<String> tags) {
    public ExportedProfile {
      description = description == null ? "" : description;
      tags = tags == null ? List.of() : tags;
    }
  }

  /** {@code content} is empty unless the export embeds packs. */
  public record ExportedPack(
      String name,
      String version,
      PackKind kind,
      String digest,
      String defaultValues,
      String content) {
    public ExportedPack {
      defaultValues = defaultValues == null ? "" : defaultValues;
      content = content == null ? "" : content;
    }
  }
}
