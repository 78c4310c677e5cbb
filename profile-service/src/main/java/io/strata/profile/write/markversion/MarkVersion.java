package io.strata.profile.write.markversion;

import io.strata.events.ProfileId;
import io.strata.events.Semver;

/**
 * Deprecate a version (it stays usable, clusters show it) or lock it (no more in-place updates).
 */
public record MarkVersion(ProfileId profileId, Semver version, Mark mark, String reason) {
  public enum Mark {
    DEPRECATE,
    LOCK
  }
}
