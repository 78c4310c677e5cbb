package io.strata.profile.read.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.events.profile.ProfileType;
import java.time.Instant;
import java.util.List;

/** A profile as the API shows it: its versions with their newest revision and status. */
public record ProfileView(
    String id,
    String name,
    ProfileType type,
    String description,
    List<String> tags,
    String project,
    List<VersionSummary> versions,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    @JsonIgnore long seq) {

  public record VersionSummary(String version, int revision, String status) {}
}
