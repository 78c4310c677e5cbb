package io.strata.audit.revisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.audit.projection.Logged;
import io.strata.events.EventJson;
import io.strata.events.ProfileEvent;
import io.strata.events.profile.Layer;
import io.strata.eventstore.StatementRuns;
import io.strata.eventstore.StatementRuns.Statement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Profiles, their versions' flags, and every revision of every version with its whole content. A
 * revision is never overwritten: the first event that names it wins, so a redelivered or replayed
 * event changes nothing.
 */
public final class ProfileProjection {
  private ProfileProjection() {}

  /**
   * A batch's statements in two lists, each in event order: profiles and versions, then revisions.
   * No statement of one list depends on the other's, and each list's runs of one statement (a run
   * of in-place updates) go as one JDBC batch.
   */
  public static void apply(Connection c, List<Logged> events) throws SQLException {
    List<Statement> catalog = new ArrayList<>();
    List<Statement> revisions = new ArrayList<>();
    for (Logged e : events) {
      if (e.event() instanceof ProfileEvent p) {
        statements(e, p, catalog, revisions);
      }
    }
    StatementRuns.execute(c, catalog);
    StatementRuns.execute(c, revisions);
  }

  private static void statements(
      Logged at, ProfileEvent event, List<Statement> catalog, List<Statement> revisions) {
    switch (event) {
      case ProfileEvent.ProfileCreated e ->
          catalog.add(
              new Statement(
                  "INSERT INTO audit_profiles (profile_id, project, name, type, deleted, created_seq)"
                      + " VALUES (?, ?, ?, ?, false, ?) ON CONFLICT (profile_id) DO NOTHING",
                  e.profileId().value(),
                  e.project(),
                  e.name(),
                  e.type().name(),
                  at.seq()));
      case ProfileEvent.ProfileVersionCreated e -> {
        catalog.add(
            new Statement(
                "INSERT INTO audit_profile_versions (profile_id, version, latest_revision, deprecated,"
                    + " locked) VALUES (?, ?, ?, false, false) ON CONFLICT (profile_id, version)"
                    + " DO UPDATE SET latest_revision = GREATEST(audit_profile_versions.latest_revision,"
                    + " excluded.latest_revision)",
                e.profileId().value(),
                e.version().toString(),
                e.revision()));
        revisions.add(
            revision(
                at,
                e.profileId().value(),
                e.version().toString(),
                e.revision(),
                e.copiedFrom(),
                EventJson.write(e.variables()),
                layers(e.layers()),
                "[]"));
      }
      case ProfileEvent.ProfileVersionUpdated e -> {
        catalog.add(
            new Statement(
                "UPDATE audit_profile_versions SET latest_revision = GREATEST(latest_revision, ?)"
                    + " WHERE profile_id = ? AND version = ?",
                e.revision(),
                e.profileId().value(),
                e.version().toString()));
        revisions.add(
            revision(
                at,
                e.profileId().value(),
                e.version().toString(),
                e.revision(),
                "",
                EventJson.write(e.variables()),
                layers(e.layers()),
                EventJson.write(e.changes())));
      }
      case ProfileEvent.ProfileVersionDeprecated e ->
          catalog.add(
              new Statement(
                  "UPDATE audit_profile_versions SET deprecated = true WHERE profile_id = ? AND version = ?",
                  e.profileId().value(),
                  e.version().toString()));
      case ProfileEvent.ProfileVersionLocked e ->
          catalog.add(
              new Statement(
                  "UPDATE audit_profile_versions SET locked = true WHERE profile_id = ? AND version = ?",
                  e.profileId().value(),
                  e.version().toString()));
      case ProfileEvent.ProfileDeleted e ->
          catalog.add(
              new Statement(
                  "UPDATE audit_profiles SET deleted = true WHERE profile_id = ?",
                  e.profileId().value()));
      case ProfileEvent.PackUploaded e -> {
        // packs are in the log; the audit views are about profiles and clusters
      }
    }
  }

  private static Statement revision(
      Logged at,
      String profileId,
      String version,
      int revision,
      String copiedFrom,
      String variables,
      String layers,
      String changes) {
    return new Statement(
        "INSERT INTO audit_profile_revisions (profile_id, version, revision, seq, occurred_at,"
            + " actor, copied_from, variables, layers, changes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (profile_id, version, revision) DO NOTHING",
        profileId,
        version,
        revision,
        at.seq(),
        Timestamp.from(at.time()),
        at.actor(),
        copiedFrom,
        variables,
        layers,
        changes);
  }

  /** As a typed list: a plain list would drop each layer's {@code type}, its subtype id. */
  static String layers(List<Layer> layers) {
    try {
      return EventJson.mapper().writerFor(LAYERS).writeValueAsString(layers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final TypeReference<List<Layer>> LAYERS = new TypeReference<>() {};
}
