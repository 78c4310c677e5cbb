package io.strata.profile.write.updateversion;

import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.Layer;
import io.strata.events.profile.Variable;
import java.util.List;
import java.util.Optional;

/** Update a version in place, on top of {@code expectedRevision} (the If-Match). */
public record UpdateVersion(
    ProfileId profileId,
    Semver version,
    int expectedRevision,
    Optional<List<Variable>> variables,
    List<Layer> layers) {}
