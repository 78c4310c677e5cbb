package io.strata.audit.revisions;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.audit.log.AuditHash;
import io.strata.events.Semver;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads of the profile projections. */
public final class RevisionViews {
  private RevisionViews() {}

  public record Profile(
      String profileId, String project, String name, String type, boolean deleted) {}

  public record Version(String version, int latestRevision, boolean deprecated, boolean locked) {}

  public record Revision(
      String version,
      int revision,
      long seq,
      Instant time,
      String actor,
      String copiedFrom,
      JsonNode variables,
      JsonNode layers,
      JsonNode changes) {}

  public static Optional<Profile> profile(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT profile_id, project, name, type, deleted FROM audit_profiles WHERE profile_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Profile(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getBoolean(5)))
            : Optional.empty();
      }
    }
  }

  public static List<Profile> profiles(Connection c, java.util.Set<String> projects, boolean all)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT profile_id, project, name, type, deleted FROM audit_profiles"
                + (all ? "" : " WHERE project = ANY (?)")
                + " ORDER BY name, profile_id")) {
      if (!all) {
        ps.setArray(1, c.createArrayOf("text", projects.toArray()));
      }
      List<Profile> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Profile(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getBoolean(5)));
        }
      }
      return out;
    }
  }

  /** Versions in semantic-version order. */
  public static List<Version> versions(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, latest_revision, deprecated, locked FROM audit_profile_versions"
                + " WHERE profile_id = ?")) {
      ps.setString(1, id);
      List<Version> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Version(rs.getString(1), rs.getInt(2), rs.getBoolean(3), rs.getBoolean(4)));
        }
      }
      out.sort(Comparator.comparing(v -> Semver.parse(v.version())));
      return out;
    }
  }

  /** Every revision of a version, oldest first; empty when the version does not exist. */
  public static List<Revision> revisions(Connection c, String id, String version)
      throws SQLException {
    return select(c, " WHERE profile_id = ? AND version = ? ORDER BY revision", id, version);
  }

  public static Optional<Revision> revision(Connection c, String id, String version, int rev)
      throws SQLException {
    return select(c, " WHERE profile_id = ? AND version = ? AND revision = ?", id, version, rev)
        .stream()
        .findFirst();
  }

  private static List<Revision> select(Connection c, String where, Object... args)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, revision, seq, occurred_at, actor, copied_from, variables,"
                + " layers, changes FROM audit_profile_revisions"
                + where)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<Revision> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Revision(
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getLong(3),
                  rs.getTimestamp(4).toInstant(),
                  rs.getString(5),
                  rs.getString(6),
                  AuditHash.parse(rs.getString(7)),
                  AuditHash.parse(rs.getString(8)),
                  AuditHash.parse(rs.getString(9))));
        }
      }
      return out;
    }
  }
}
