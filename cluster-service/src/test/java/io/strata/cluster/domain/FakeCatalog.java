package io.strata.cluster.domain;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.ProfileType;
import io.strata.events.profile.Variable;
import io.strata.kit.catalog.Catalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The catalog a given/when/then test describes: profiles, versions and revisions in memory. */
final class FakeCatalog implements Catalog {
  private final Map<String, KnownProfile> profiles = new HashMap<>();
  private final Map<String, KnownVersion> versions = new HashMap<>();
  private final Map<String, Content> contents = new HashMap<>();
  private final Set<String> shared = new java.util.HashSet<>(Set.of("default"));

  KnownProfile profile(String id, String name, ProfileType type, String project) {
    KnownProfile p = new KnownProfile(ProfileId.of(id), name, type, project, false);
    profiles.put(id, p);
    return p;
  }

  /** Adds revision n+1 of {@code version} (revision 1 when new). */
  int revise(String profile, String version, List<Variable> variables, List<Layer> layers) {
    String key = profile + "@" + version;
    KnownVersion v = versions.get(key);
    int revision = v == null ? 1 : v.latestRevision() + 1;
    versions.put(
        key,
        new KnownVersion(
            Semver.parse(version), revision, v != null && v.deprecated(), v != null && v.locked()));
    contents.put(key + "#" + revision, new Content(variables, layers));
    return revision;
  }

  void deprecateAndLock(String profile, String version) {
    KnownVersion v = versions.get(profile + "@" + version);
    versions.put(
        profile + "@" + version, new KnownVersion(v.version(), v.latestRevision(), true, true));
  }

  @Override
  public Optional<KnownProfile> profile(String idOrName) {
    return Optional.ofNullable(profiles.get(idOrName))
        .or(() -> profiles.values().stream().filter(p -> p.name().equals(idOrName)).findFirst());
  }

  @Override
  public Optional<KnownVersion> version(ProfileId profile, Semver version) {
    return Optional.ofNullable(versions.get(profile.value() + "@" + version));
  }

  @Override
  public List<KnownVersion> versions(ProfileId profile) {
    List<KnownVersion> out = new ArrayList<>();
    versions.forEach(
        (k, v) -> {
          if (k.startsWith(profile.value() + "@")) {
            out.add(v);
          }
        });
    out.sort(Comparator.comparing(KnownVersion::version));
    return out;
  }

  @Override
  public Optional<Content> content(ProfileId profile, Semver version, int revision) {
    return Optional.ofNullable(contents.get(profile.value() + "@" + version + "#" + revision));
  }

  @Override
  public Optional<KnownPack> pack(String name, String version) {
    return Optional.empty();
  }

  @Override
  public boolean projectShared(String project) {
    return shared.contains(project);
  }
}
