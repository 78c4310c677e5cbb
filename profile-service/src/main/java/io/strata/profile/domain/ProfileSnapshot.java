package io.strata.profile.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.strata.events.EventJson;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.ProfileType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Profile} as a snapshot document, so that a command on a profile with hundreds of revisions
 * folds only the events since the last snapshot.
 */
public record ProfileSnapshot(
    boolean exists,
    boolean deleted,
    String id,
    String name,
    ProfileType type,
    String project,
    List<VersionEntry> versions) {

  public record VersionEntry(String version, Profile.VersionState state) {}

  public static String write(Profile p) {
    ProfileSnapshot s =
        new ProfileSnapshot(
            p.exists(),
            p.deleted(),
            p.id().value(),
            p.name(),
            p.type(),
            p.project(),
            p.versions().entrySet().stream()
                .map(e -> new VersionEntry(e.getKey().toString(), e.getValue()))
                .toList());
    try {
      return EventJson.mapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("profile snapshot cannot be written", e);
    }
  }

  public static Profile read(String json) {
    try {
      ProfileSnapshot s = EventJson.mapper().readValue(json, ProfileSnapshot.class);
      Map<Semver, Profile.VersionState> versions = new TreeMap<>();
      s.versions().forEach(v -> versions.put(Semver.parse(v.version()), v.state()));
      return new Profile(
          s.exists(),
          s.deleted(),
          ProfileId.of(s.id()),
          s.name(),
          s.type(),
          s.project(),
          java.util.Collections.unmodifiableMap(versions));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("profile snapshot cannot be read", e);
    }
  }
}
