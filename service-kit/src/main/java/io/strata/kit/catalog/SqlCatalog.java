package io.strata.kit.catalog;

import io.strata.events.EventJson;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.events.profile.ProfileType;
import io.strata.kit.security.AccessRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog read through one connection. Revisions never change once written, so their parsed
 * content is kept for the life of this object (one request, or one batch of a bulk operation).
 */
final class SqlCatalog implements Catalog {
  /** Runs a lookup: in the caller's transaction, or in a short one of its own. */
  interface Lookups {
    <T> T run(io.strata.eventstore.SqlWork<T> work);
  }

  private final Lookups lookups;
  private final AccessRegistry access;
  private final Map<String, Optional<KnownProfile>> profiles = new HashMap<>();
  private final Map<String, Content> contents;
  private final Map<ProfileId, List<KnownVersion>> versions = new HashMap<>();

  SqlCatalog(Lookups lookups, AccessRegistry access, Map<String, Content> contents) {
    this.lookups = lookups;
    this.access = access;
    this.contents = contents;
  }

  @Override
  public Optional<KnownProfile> profile(String idOrName) {
    return profiles.computeIfAbsent(
        idOrName,
        k ->
            profileWhere("id = ?", k)
                .or(() -> profileWhere("name = ? AND NOT deleted ORDER BY id LIMIT 1", k)));
  }

  private Optional<KnownProfile> profileWhere(String condition, String value) {
    return query(
            "SELECT id, name, type, project, deleted FROM known_profiles WHERE " + condition,
            rs ->
                new KnownProfile(
                    ProfileId.of(rs.getString(1)),
                    rs.getString(2),
                    ProfileType.valueOf(rs.getString(3)),
                    rs.getString(4),
                    rs.getBoolean(5)),
            value)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<KnownVersion> version(ProfileId profile, Semver version) {
    return versions(profile).stream().filter(v -> v.version().equals(version)).findFirst();
  }

  @Override
  public List<KnownVersion> versions(ProfileId profile) {
    return versions.computeIfAbsent(
        profile,
        p -> {
          List<KnownVersion> out =
              new ArrayList<>(
                  query(
                      "SELECT version, latest_revision, deprecated, locked FROM known_versions"
                          + " WHERE profile_id = ?",
                      rs ->
                          new KnownVersion(
                              Semver.parse(rs.getString(1)),
                              rs.getInt(2),
                              rs.getBoolean(3),
                              rs.getBoolean(4)),
                      p.value()));
          out.sort(Comparator.comparing(KnownVersion::version));
          return out;
        });
  }

  @Override
  public Optional<Content> content(ProfileId profile, Semver version, int revision) {
    String key = profile.value() + "@" + version + "#" + revision;
    Content known = contents.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Content> read =
        query(
                "SELECT content FROM known_revisions WHERE profile_id = ? AND version = ? AND"
                    + " revision = ?",
                rs -> EventJson.read(rs.getString(1), Content.class),
                profile.value(),
                version.toString(),
                revision)
            .stream()
            .findFirst();
    read.ifPresent(content -> contents.put(key, content));
    return read;
  }

  @Override
  public Optional<KnownPack> pack(String name, String version) {
    return query(
            "SELECT name, version, kind, digest, default_values FROM known_packs WHERE name = ? AND"
                + " version = ?",
            rs ->
                new KnownPack(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)),
            name,
            version)
        .stream()
        .findFirst();
  }

  @Override
  public boolean projectShared(String project) {
    return access.projectShared(project);
  }

  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Row<T> row, Object... params) {
    return lookups.run(c -> query(c, sql, row, params));
  }

  private static <T> List<T> query(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    }
  }
}
