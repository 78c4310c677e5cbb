package io.strata.events.cluster;

import io.strata.events.ProfileId;
import io.strata.events.Semver;

/** A newer revision of an attached version that is not applied yet. */
public record PendingUpdate(
    ProfileId profileId, Semver version, int fromRevision, int toRevision) {}
