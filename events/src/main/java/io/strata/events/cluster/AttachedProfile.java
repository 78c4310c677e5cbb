package io.strata.events.cluster;

import io.strata.events.ProfileId;
import io.strata.events.Semver;

/** One profile of a cluster's spec, pinned to a revision of a version. */
public record AttachedProfile(ProfileId profileId, String name, Semver version, int revision) {}
