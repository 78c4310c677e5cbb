package io.strata.profile.write.createversion;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import java.util.List;
import java.util.Optional;

/**
 * A new version: a copy of {@code from}'s newest revision, with {@code variables} and/or {@code
 * layers} replacing the copied ones when given; without {@code from}, the given content.
 */
public record CreateVersion(
    ProfileId profileId,
    Semver version,
    Optional<Semver> from,
    Optional<List<Variable>> variables,
    Optional<List<Layer>> layers) {}
