package io.strata.audit.revisions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.audit.projection.Logged;
import io.strata.events.EventJson;
import io.strata.events.ProfileEvent;
import io.strata.events.profile.Layer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Profiles, their versions' flags, and every revision of every version with its whole content. A
 * revision is never overwritten: the first event that names it wins, so a redelivered or replayed
 * event changes nothing.
 */
public final class ProfileProjection {
  private ProfileProjection() {}

  public static void apply(Connection c, List<Logged> events) throws SQLException {
    for (Logged e : events) {
      if (e.event() instanceof ProfileEvent p) {
        apply(c, e, p);
      }
    }
  }

  private static void apply(Connection c, Logged at, ProfileEvent event) throws SQLException {
    switch (event) {
      case ProfileEvent.ProfileCreated e ->
          update(
              c,
              "INSERT INTO audit_profiles (profile_id, project, name, type, deleted, created_seq)"
                  + " VALUES (?, ?, ?, ?, false, ?) ON CONFLICT (profile_id) DO NOTHING",
              e.profileId().value(),
              e.project(),
              e.name(),
              e.type().name(),
              at.seq());
      case ProfileEvent.ProfileVersionCreated e -> {
        update(
            c,
            "INSERT INTO audit_profile_versions (profile_id, version, latest_revision, deprecated,"
                + " locked) VALUES (?, ?, ?, false, false) ON CONFLICT (profile_id, version)"
                + " DO UPDATE SET latest_revision = GREATEST(audit_profile_versions.latest_revision,"
                + " excluded.latest_revision)",
            e.profileId().value(),
            e.version().toString(),
            e.revision());
        revision(
            c,
            at,
            e.profileId().value(),
            e.version().toString(),
            e.revision(),
            e.copiedFrom(),
            EventJson.write(e.variables()),
            layers(e.layers()),
            "[]");
      }
      case ProfileEvent.ProfileVersionUpdated e -> {
        update(
            c,
            "UPDATE audit_profile_versions SET latest_revision = GREATEST(latest_revision, ?)"
                + " WHERE profile_id = ? AND version = ?",
            e.revision(),
            e.profileId().value(),
            e.version().toString());
        revision(
            c,
            at,
            e.profileId().value(),
            e.version().toString(),
            e.revision(),
            "",
            EventJson.write(e.variables()),
            layers(e.layers()),
            EventJson.write(e.changes()));
      }
      case ProfileEvent.ProfileVersionDeprecated e ->
          update(
              c,
              "UPDATE audit_profile_versions SET deprecated = true WHERE profile_id = ? AND version = ?",
              e.profileId().value(),
              e.version().toString());
      case ProfileEvent.ProfileVersionLocked e ->
          update(
              c,
              "UPDATE audit_profile_versions SET locked = true WHERE profile_id = ? AND version = ?",
              e.profileId().value(),
              e.version().toString());
      case ProfileEvent.ProfileDeleted e ->
          update(
              c,
              "UPDATE audit_profiles SET deleted = true WHERE profile_id = ?",
              e.profileId().value());
      case ProfileEvent.PackUploaded e -> {
        // packs are in the log; the audit views are about profiles and clusters
      }
    }
  }

  private static void revision(
      Connection c,
      Logged at,
      String profileId,
      String version,
      int revision,
      String copiedFrom,
      String variables,
      String layers,
      String changes)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO audit_profile_revisions (profile_id, version, revision, seq, occurred_at,"
                + " actor, copied_from, variables, layers, changes)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (profile_id, version, revision) DO NOTHING")) {
      ps.setString(1, profileId);
      ps.setString(2, version);
      ps.setInt(3, revision);
      ps.setLong(4, at.seq());
      ps.setTimestamp(5, Timestamp.from(at.time()));
      ps.setString(6, at.actor());
      ps.setString(7, copiedFrom);
      ps.setString(8, variables);
      ps.setString(9, layers);
      ps.setString(10, changes);
      ps.executeUpdate();
    }
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

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }
}
