package io.strata.profile.read.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One revision of a version as the API shows it: its whole content and how it came to be. */
public record VersionView(
    String profileId,
    String version,
    int revision,
    int latestRevision,
    String status,
    boolean deprecated,
    boolean locked,
    String copiedFrom,
    JsonNode variables,
    JsonNode layers,
    JsonNode changes,
    String createdBy,
    Instant createdAt) {}
