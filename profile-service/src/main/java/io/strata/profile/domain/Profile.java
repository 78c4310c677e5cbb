package io.strata.profile.domain;

import io.strata.events.ProfileEvent;
import io.strata.events.ProfileEvent.PackUploaded;
import io.strata.events.ProfileEvent.ProfileCreated;
import io.strata.events.ProfileEvent.ProfileDeleted;
import io.strata.events.ProfileEvent.ProfileVersionCreated;
import io.strata.events.ProfileEvent.ProfileVersionDeprecated;
import io.strata.events.ProfileEvent.ProfileVersionLocked;
import io.strata.events.ProfileEvent.ProfileVersionUpdated;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.ProfileType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A profile as the write side needs it to decide: which versions exist, at which revision, and
 * whether they are deprecated or locked. Built by folding the profile's events with {@link
 * #evolve}.
 */
public record Profile(
    boolean exists,
    boolean deleted,
    ProfileId id,
    String name,
    ProfileType type,
    String project,
    Map<Semver, VersionState> versions) {

  /** The newest revision of a version: its number, flags and whole content. */
  public record VersionState(
      int revision,
      boolean deprecated,
      boolean locked,
      List<io.strata.events.profile.Variable> variables,
      List<io.strata.events.profile.Layer> layers) {
    VersionState withRevision(
        int n, List<io.strata.events.profile.Variable> v, List<io.strata.events.profile.Layer> l) {
      return new VersionState(n, deprecated, locked, v, l);
    }

    VersionState deprecate() {
      return new VersionState(revision, true, locked, variables, layers);
    }

    VersionState lock() {
      return new VersionState(revision, deprecated, true, variables, layers);
    }
  }

  public static Profile initial(ProfileId id) {
    return new Profile(false, false, id, "", ProfileType.FULL, "default", Map.of());
  }

  public static Profile fold(ProfileId id, List<ProfileEvent> events) {
    Profile p = initial(id);
    for (ProfileEvent e : events) {
      p = p.evolve(e);
    }
    return p;
  }

  public Profile evolve(ProfileEvent event) {
    return switch (event) {
      case ProfileCreated c ->
          new Profile(true, false, c.profileId(), c.name(), c.type(), c.project(), versions);
      case ProfileVersionCreated v ->
          withVersion(
              v.version(), new VersionState(v.revision(), false, false, v.variables(), v.layers()));
      case ProfileVersionUpdated u ->
          withVersion(
              u.version(),
              version(u.version())
                  .map(s -> s.withRevision(u.revision(), u.variables(), u.layers())));
      case ProfileVersionDeprecated d ->
          withVersion(d.version(), version(d.version()).map(VersionState::deprecate));
      case ProfileVersionLocked l ->
          withVersion(l.version(), version(l.version()).map(VersionState::lock));
      case ProfileDeleted d -> new Profile(exists, true, id, name, type, project, versions);
      case PackUploaded p -> this; // packs are their own aggregates
    };
  }

  public java.util.Optional<VersionState> version(Semver v) {
    return java.util.Optional.ofNullable(versions.get(v));
  }

  private Profile withVersion(Semver v, VersionState state) {
    Map<Semver, VersionState> next = new TreeMap<>(versions);
    next.put(v, state);
    return new Profile(
        exists, deleted, id, name, type, project, java.util.Collections.unmodifiableMap(next));
  }

  private Profile withVersion(Semver v, java.util.Optional<VersionState> state) {
    return state.map(s -> withVersion(v, s)).orElse(this);
  }
}
