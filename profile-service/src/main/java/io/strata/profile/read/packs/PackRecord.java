package io.strata.profile.read.packs;

import io.strata.events.profile.PackKind;
import java.time.Instant;

/** A pack of the registry (its content is fetched separately, by digest). */
public record PackRecord(
    String name,
    String version,
    PackKind kind,
    String digest,
    long sizeBytes,
    String defaultValues,
    String project,
    String createdBy,
    Instant createdAt) {}
