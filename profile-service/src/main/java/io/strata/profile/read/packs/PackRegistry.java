package io.strata.profile.read.packs;

import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.profile.PackKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The pack registry's read model: metadata per name+version, content once per digest. */
@ApplicationScoped
public class PackRegistry {

  public Optional<PackRecord> find(Connection c, String name, String version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ? AND version = ?")) {
      ps.setString(1, name);
      ps.setString(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    }
  }

  /** {@code projects} null means every project. */
  public List<PackRecord> list(Connection c, String name, Set<String> projects)
      throws SQLException {
    StringBuilder sql = new StringBuilder(SELECT + " WHERE true");
    if (name != null && !name.isBlank()) {
      sql.append(" AND name = ?");
    }
    if (projects != null) {
      sql.append(" AND project = ANY (?)");
    }
    sql.append(" ORDER BY name, created_at LIMIT 1000");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      if (name != null && !name.isBlank()) {
        ps.setString(i++, name);
      }
      if (projects != null) {
        ps.setArray(i, c.createArrayOf("text", projects.toArray()));
      }
      List<PackRecord> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(record(rs));
        }
      }
      return out;
    }
  }

  public Optional<byte[]> content(Connection c, String digest) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT content FROM pack_blobs WHERE digest = ?")) {
      ps.setString(1, digest);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    }
  }

  /** Stores content under its digest; storing the same content twice keeps one copy. */
  public void storeBlob(Connection c, String digest, byte[] content) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO pack_blobs (digest, content) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING")) {
      ps.setString(1, digest);
      ps.setBytes(2, content);
      ps.executeUpdate();
    }
  }

  public void apply(Connection c, List<EventEnvelope> events) throws SQLException {
    for (EventEnvelope e : events) {
      if (e.event() instanceof ProfileEvent.PackUploaded p) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO packs (name, version, kind, digest, size_bytes, default_values, project,"
                    + " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, p.name());
          ps.setString(2, p.version());
          ps.setString(3, p.kind() == PackKind.HELM ? "helm" : "manifests");
          ps.setString(4, p.digest());
          ps.setLong(5, p.sizeBytes());
          ps.setString(6, p.defaultValues());
          ps.setString(7, p.project());
          ps.setString(8, e.actor());
          ps.setTimestamp(9, Timestamp.from(e.time()));
          ps.executeUpdate();
        }
      }
    }
  }

  private static final String SELECT =
      "SELECT name, version, kind, digest, size_bytes, default_values, project, created_by,"
          + " created_at FROM packs";

  private static PackRecord record(ResultSet rs) throws SQLException {
    return new PackRecord(
        rs.getString(1),
        rs.getString(2),
        "helm".equals(rs.getString(3)) ? PackKind.HELM : PackKind.MANIFESTS,
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getTimestamp(9).toInstant());
  }
}
