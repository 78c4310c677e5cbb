package io.strata.profile.read.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.ProfileEvent;
import io.strata.events.profile.ProfileType;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The profiles read model, changed in the same transaction as the events that change it: a catalog
 * row per profile and a row per revision of every version, kept forever.
 */
@ApplicationScoped
public class ProfileCatalog {

  /** Another profile got the name first (the unique index decided). */
  public static final class NameTaken extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NameTaken(String name) {
      super(name);
    }
  }

  public boolean existsByName(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM profile_catalog WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Applies events in order; the revisions of consecutive version events are written in one JDBC
   * batch (a group of in-place updates on many profiles is one round trip).
   */
  public void apply(Connection c, List<EventEnvelope> events) throws SQLException {
    List<EventEnvelope> revisions = new ArrayList<>();
    for (EventEnvelope e : events) {
      if (Revision.of((ProfileEvent) e.event()).isPresent()) {
        revisions.add(e);
      } else {
        insertRevisions(c, revisions);
        revisions.clear();
        apply(c, e);
      }
    }
    insertRevisions(c, revisions);
  }

  private void apply(Connection c, EventEnvelope e) throws SQLException {
    ProfileEvent event = (ProfileEvent) e.event();
    Timestamp at = Timestamp.from(e.time());
    switch (event) {
      case ProfileEvent.ProfileCreated p -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO profile_catalog (id, name, type, description, tags, project, seq,"
                    + " created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
          ps.setString(1, p.profileId().value());
          ps.setString(2, p.name());
          ps.setString(3, p.type().label());
          ps.setString(4, p.description());
          ps.setString(5, json(p.tags()));
          ps.setString(6, p.project());
          ps.setLong(7, e.seq());
          ps.setString(8, e.actor());
          ps.setTimestamp(9, at);
          ps.setTimestamp(10, at);
          ps.executeUpdate();
        } catch (SQLException ex) {
          if ("23505".equals(ex.getSQLState())
              && String.valueOf(ex.getMessage()).contains("name")) {
            throw new NameTaken(p.name());
          }
          throw ex;
        }
      }
      case ProfileEvent.ProfileVersionCreated v -> insertRevisions(c, List.of(e));
      case ProfileEvent.ProfileVersionUpdated u -> insertRevisions(c, List.of(e));
      case ProfileEvent.ProfileVersionDeprecated d -> {
        mark(c, d.profileId().value(), d.version().toString(), "deprecated", e);
        touch(c, d.profileId().value(), e);
      }
      case ProfileEvent.ProfileVersionLocked l -> {
        mark(c, l.profileId().value(), l.version().toString(), "locked", e);
        touch(c, l.profileId().value(), e);
      }
      case ProfileEvent.ProfileDeleted d -> {
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE profile_catalog SET deleted = true, seq = ? WHERE id = ?")) {
          ps.setLong(1, e.seq());
          ps.setString(2, d.profileId().value());
          ps.executeUpdate();
        }
      }
      case ProfileEvent.PackUploaded p -> {
        // the pack registry keeps its own read model
      }
    }
  }

  /**
   * Each revision (its content is the event's data, already stored by the event store), the
   * version's newest revision and the profile's position, in one statement per revision and one
   * round trip for all: this runs on every in-place update.
   */
  private static void insertRevisions(Connection c, List<EventEnvelope> events)
      throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "WITH v AS (INSERT INTO profile_versions (profile_id, version, revision, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (profile_id, version) DO UPDATE"
                + " SET revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at), p AS"
                + " (UPDATE profile_catalog SET seq = ?, updated_at = ? WHERE id = ?) INSERT INTO"
                + " profile_revisions (profile_id, version, revision, content, created_by,"
                + " created_at) SELECT ?, ?, ?, data, ?, ? FROM events WHERE event_id = ?")) {
      for (EventEnvelope e : events) {
        Revision r = Revision.of((ProfileEvent) e.event()).orElseThrow();
        Timestamp at = Timestamp.from(e.time());
        ps.setString(1, r.profileId());
        ps.setString(2, r.version());
        ps.setInt(3, r.revision());
        ps.setTimestamp(4, at);
        ps.setTimestamp(5, at);
        ps.setLong(6, e.seq());
        ps.setTimestamp(7, at);
        ps.setString(8, r.profileId());
        ps.setString(9, r.profileId());
        ps.setString(10, r.version());
        ps.setInt(11, r.revision());
        ps.setString(12, e.actor());
        ps.setTimestamp(13, at);
        ps.setObject(14, e.id());
        ps.addBatch();
      }
      int[] inserted = ps.executeBatch();
      for (int i = 0; i < inserted.length; i++) {
        if (inserted[i] != 1) {
          throw new IllegalStateException(
              "event " + events.get(i).id() + " is not in the event store");
        }
      }
    }
  }

  /** The revision a version event creates. */
  private record Revision(String profileId, String version, int revision) {
    static Optional<Revision> of(ProfileEvent event) {
      return switch (event) {
        case ProfileEvent.ProfileVersionCreated v ->
            Optional.of(new Revision(v.profileId().value(), v.version().toString(), v.revision()));
        case ProfileEvent.ProfileVersionUpdated u ->
            Optional.of(new Revision(u.profileId().value(), u.version().toString(), u.revision()));
        case ProfileEvent.ProfileCreated p -> Optional.empty();
        case ProfileEvent.ProfileVersionDeprecated d -> Optional.empty();
        case ProfileEvent.ProfileVersionLocked l -> Optional.empty();
        case ProfileEvent.ProfileDeleted d -> Optional.empty();
        case ProfileEvent.PackUploaded p -> Optional.empty();
      };
    }
  }

  private static void mark(
      Connection c, String profileId, String version, String column, EventEnvelope e)
      throws SQLException {
    // column is one of two constants, never input
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE profile_versions SET "
                + column
                + " = true, updated_at = ? WHERE profile_id = ? AND version = ?")) {
      ps.setTimestamp(1, Timestamp.from(e.time()));
      ps.setString(2, profileId);
      ps.setString(3, version);
      ps.executeUpdate();
    }
  }

  private static void touch(Connection c, String profileId, EventEnvelope e) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE profile_catalog SET seq = ?, updated_at = ? WHERE id = ?")) {
      ps.setLong(1, e.seq());
      ps.setTimestamp(2, Timestamp.from(e.time()));
      ps.setString(3, profileId);
      ps.executeUpdate();
    }
  }

  public Optional<ProfileView> find(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ? AND NOT deleted")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(view(c, rs)) : Optional.empty();
      }
    }
  }

  /**
   * The profiles of {@code ids} that exist, without their version lists, in one query, for a group
   * of commands about to write them; the same query sets the transaction's lock timeout (as {@code
   * SET LOCAL} would, for the rest of the transaction). A group that finds none of its profiles
   * writes nothing, so a timeout it leaves unset cannot matter. One round trip fewer per group:
   * under load every round trip of a group waits for a core twice.
   */
  public java.util.Map<String, ProfileView> findAllForWriting(
      Connection c, java.util.Collection<String> ids, java.time.Duration lockTimeout)
      throws SQLException {
    java.util.Map<String, ProfileView> out = new java.util.HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + ", set_config('lock_timeout', ?, true) FROM profile_catalog"
                + " WHERE id = ANY (?) AND NOT deleted")) {
      ps.setString(1, Math.max(1, lockTimeout.toMillis()) + "ms");
      ps.setArray(2, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ProfileView v = withVersions(rs, List.of());
          out.put(v.id(), v);
        }
      }
    }
    return out;
  }

  public Optional<ProfileView> findByName(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ? AND NOT deleted")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(view(c, rs)) : Optional.empty();
      }
    }
  }

  /**
   * One page ordered by name; {@code after} is the last name of the previous page. {@code
   * visibleProjects} null means every project.
   */
  public List<ProfileView> list(
      Connection c,
      String name,
      String type,
      String project,
      java.util.Set<String> visibleProjects,
      String after,
      int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder(SELECT + " WHERE NOT deleted");
    List<Object> args = new ArrayList<>();
    if (name != null && !name.isEmpty()) {
      sql.append(" AND name LIKE ? ESCAPE '\\'");
      args.add("%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (type != null && !type.isEmpty()) {
      sql.append(" AND type = ?");
      args.add(type);
    }
    if (project != null && !project.isEmpty()) {
      sql.append(" AND project = ?");
      args.add(project);
    }
    if (visibleProjects != null) {
      sql.append(" AND project = ANY (?)");
      args.add(visibleProjects);
    }
    if (after != null && !after.isEmpty()) {
      sql.append(" AND name > ?");
      args.add(after);
    }
    sql.append(" ORDER BY name LIMIT ").append(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i) instanceof java.util.Set<?> set) {
          ps.setArray(i + 1, c.createArrayOf("text", set.toArray()));
        } else {
          ps.setString(i + 1, (String) args.get(i));
        }
      }
      List<ProfileView> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(view(c, rs));
        }
      }
      return out;
    }
  }

  private static final String COLUMNS =
      "id, name, type, description, tags, project, seq, created_by, created_at, updated_at";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM profile_catalog";

  private static ProfileView view(Connection c, ResultSet rs) throws SQLException {
    return withVersions(rs, versions(c, rs.getString("id")));
  }

  private static List<ProfileView.VersionSummary> versions(Connection c, String id)
      throws SQLException {
    List<ProfileView.VersionSummary> versions = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT version, revision, deprecated, locked FROM profile_versions WHERE profile_id = ?")) {
      ps.setString(1, id);
      try (ResultSet v = ps.executeQuery()) {
        while (v.next()) {
          versions.add(
              new ProfileView.VersionSummary(
                  v.getString(1), v.getInt(2), status(v.getBoolean(3), v.getBoolean(4))));
        }
      }
    }
    versions.sort(java.util.Comparator.comparing(v -> io.strata.events.Semver.parse(v.version())));
    return versions;
  }

  private static ProfileView withVersions(ResultSet rs, List<ProfileView.VersionSummary> versions)
      throws SQLException {
    return new ProfileView(
        rs.getString("id"),
        rs.getString("name"),
        ProfileType.fromLabel(rs.getString("type")),
        rs.getString("description"),
        readList(rs.getString("tags")),
        rs.getString("project"),
        versions,
        rs.getString("created_by"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getLong("seq"));
  }

  /** Deprecation is what a user must notice first; a lock only stops in-place updates. */
  public static String status(boolean deprecated, boolean locked) {
    return deprecated ? "deprecated" : locked ? "locked" : "active";
  }

  /** One revision of a version (the newest when {@code revision} is empty), content included. */
  public Optional<VersionView> version(
      Connection c, String profileId, String version, Optional<Integer> revision)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT r.revision, r.content, r.created_by, r.created_at, v.revision,"
                + " v.deprecated, v.locked FROM profile_revisions r JOIN profile_versions v"
                + " ON v.profile_id = r.profile_id AND v.version = r.version"
                + " WHERE r.profile_id = ? AND r.version = ? AND r.revision = COALESCE(?, v.revision)")) {
      ps.setString(1, profileId);
      ps.setString(2, version);
      ps.setObject(3, revision.orElse(null), java.sql.Types.INTEGER);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        com.fasterxml.jackson.databind.JsonNode content =
            EventJson.mapper().readTree(rs.getString(2));
        return Optional.of(
            new VersionView(
                profileId,
                version,
                rs.getInt(1),
                rs.getInt(5),
                status(rs.getBoolean(6), rs.getBoolean(7)),
                rs.getBoolean(6),
                rs.getBoolean(7),
                content.path("copiedFrom").asText(""),
                content.path("variables"),
                content.path("layers"),
                content.path("changes").isMissingNode()
                    ? EventJson.mapper().createArrayNode()
                    : content.path("changes"),
                rs.getString(3),
                rs.getTimestamp(4).toInstant()));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("corrupt revision content", ex);
      }
    }
  }

  private static List<String> readList(String json) {
    try {
      return EventJson.mapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt tags column", e);
    }
  }

  private static String json(Object o) {
    try {
      return EventJson.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
