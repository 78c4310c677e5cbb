package io.strata.kit.catalog;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import java.util.List;
import java.util.Optional;

/**
 * What a service knows about profiles, from its own projection of {@code strata.profile.events}:
 * enough to validate attachments and to compute diffs without calling profile-service.
 */
public interface Catalog {

  record KnownProfile(
      ProfileId id, String name, ProfileType type, String project, boolean deleted) {}

  record KnownVersion(Semver version, int latestRevision, boolean deprecated, boolean locked) {}

  /** The whole content of one revision. */
  record Content(List<Variable> variables, List<Layer> layers) {
    public Content {
      variables = List.copyOf(variables);
      layers = List.copyOf(layers);
    }

    public Optional<Layer> layer(String name) {
      return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }
  }

  /** A pack of the registry as profile-service announced it. */
  record KnownPack(String name, String version, String kind, String digest, String defaultValues) {}

  Optional<KnownPack> pack(String name, String version);

  /** By id, or by name when {@code idOrName} is not an id. */
  Optional<KnownProfile> profile(String idOrName);

  Optional<KnownVersion> version(ProfileId profile, Semver version);

  /** Every version of a profile, oldest first. */
  List<KnownVersion> versions(ProfileId profile);

  Optional<Content> content(ProfileId profile, Semver version, int revision);

  /** Profiles of a shared project may be attached to clusters of any project. */
  boolean projectShared(String project);
}
