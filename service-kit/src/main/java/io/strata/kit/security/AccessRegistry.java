package io.strata.kit.security;

import io.agroal.api.AgroalDataSource;
import io.strata.events.AccessEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.access.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Projects and API keys as this service knows them from {@code strata.access.events}: kept in
 * PostgreSQL (so a restart resumes from the consumer's offsets) and in memory (so a key is checked
 * without I/O). A revocation takes effect as soon as its event is applied.
 */
@ApplicationScoped
public class AccessRegistry {
  public static final String DEFAULT_PROJECT = "default";

  record KeyEntry(
      String name,
      String keyId,
      Role role,
      List<String> projects,
      Optional<Instant> expiresAt,
      String salt,
      String hash,
      boolean revoked) {}

  private final Map<String, KeyEntry> keysById = new ConcurrentHashMap<>();
  private final Map<String, Boolean> projects = new ConcurrentHashMap<>();
  private final AgroalDataSource dataSource;
  private final Clock clock = Clock.systemUTC();

  private final String consumer;

  AccessRegistry(
      AgroalDataSource dataSource,
      @org.eclipse.microprofile.config.inject.ConfigProperty(name = "strata.service.name")
          String service) {
    this.dataSource = dataSource;
    this.consumer = service + ".access";
  }

  /** The consumer group that feeds this registry from {@code strata.access.events}. */
  public String consumer() {
    return consumer;
  }

  /** Loads what earlier runs projected; the consumer then continues from its committed offset. */
  public void load() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT name, shared FROM access_projects");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          projects.put(rs.getString(1), rs.getBoolean(2));
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, key_id, role, projects, expires_at, salt, hash, revoked"
                      + " FROM access_api_keys");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp exp = rs.getTimestamp(5);
          KeyEntry k =
              new KeyEntry(
                  rs.getString(1),
                  rs.getString(2),
                  Role.fromLabel(rs.getString(3)).orElseThrow(),
                  List.of((String[]) rs.getArray(4).getArray()),
                  Optional.ofNullable(exp).map(Timestamp::toInstant),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getBoolean(8));
          keysById.put(k.keyId(), k);
        }
      }
    }
  }

  /**
   * Applies an event this service's write path has just appended, in its transaction, and records
   * it as processed for this registry's consumer. Without the record the consumer would apply it
   * again when Kafka brings it, after whatever the write path applied since: an {@code
   * ApiKeyCreated} arriving after the key's revocation made the key valid again until the
   * revocation came round too.
   */
  public void applyWritten(Connection c, EventEnvelope e) throws SQLException {
    io.strata.eventstore.EventConsumer.markProcessed(c, consumer, e.id(), "applied");
    apply(c, e);
  }

  /** The projection of one access event, as the consumer delivers them (in order, once). */
  public void apply(Connection c, EventEnvelope e) throws SQLException {
    if (!(e.event() instanceof AccessEvent event)) {
      return;
    }
    persist(c, e, event);
    applyInMemory(e);
  }

  /** The in-memory half of {@link #apply}: what requests are checked against. */
  void applyInMemory(EventEnvelope e) {
    switch ((AccessEvent) e.event()) {
      case AccessEvent.ProjectCreated p -> projects.put(p.name(), p.shared());
      case AccessEvent.ApiKeyCreated k -> {
        keysById.values().removeIf(old -> old.name().equals(k.name()));
        keysById.put(
            k.keyId(),
            new KeyEntry(
                k.name(),
                k.keyId(),
                k.role(),
                k.projects(),
                k.expiresAt(),
                k.salt(),
                k.hash(),
                false));
      }
      case AccessEvent.ApiKeyRevoked r ->
          keysById.computeIfPresent(
              r.keyId(),
              (id, k) ->
                  new KeyEntry(
                      k.name(),
                      k.keyId(),
                      k.role(),
                      k.projects(),
                      k.expiresAt(),
                      k.salt(),
                      k.hash(),
                      true));
    }
  }

  /** The durable half of {@link #apply}: survives restarts. */
  private void persist(Connection c, EventEnvelope e, AccessEvent event) throws SQLException {
    switch (event) {
      case AccessEvent.ProjectCreated p -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO access_projects (name, shared, created_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET shared = EXCLUDED.shared")) {
          ps.setString(1, p.name());
          ps.setBoolean(2, p.shared());
          ps.setTimestamp(3, Timestamp.from(e.time()));
          ps.executeUpdate();
        }
      }
      case AccessEvent.ApiKeyCreated k -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO access_api_keys (name, key_id, role, projects, expires_at, salt, hash,"
                    + " revoked, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, false, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET key_id = EXCLUDED.key_id, role ="
                    + " EXCLUDED.role, projects = EXCLUDED.projects, expires_at = EXCLUDED.expires_at,"
                    + " salt = EXCLUDED.salt, hash = EXCLUDED.hash, revoked = false")) {
          Array arr = c.createArrayOf("text", k.projects().toArray());
          ps.setString(1, k.name());
          ps.setString(2, k.keyId());
          ps.setString(3, k.role().label());
          ps.setArray(4, arr);
          ps.setTimestamp(5, k.expiresAt().map(Timestamp::from).orElse(null));
          ps.setString(6, k.salt());
          ps.setString(7, k.hash());
          ps.setString(8, e.actor());
          ps.setTimestamp(9, Timestamp.from(e.time()));
          ps.executeUpdate();
        }
      }
      case AccessEvent.ApiKeyRevoked r -> {
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE access_api_keys SET revoked = true WHERE key_id = ?")) {
          ps.setString(1, r.keyId());
          ps.executeUpdate();
        }
      }
    }
  }

  /** The caller a key stands for, or why it is refused. */
  public Authentication authenticate(String token) {
    Optional<ApiKeys.Parsed> parsed = ApiKeys.parse(token);
    if (parsed.isEmpty()) {
      return Authentication.refused("malformed API key");
    }
    KeyEntry k = keysById.get(parsed.get().keyId());
    if (k == null || !ApiKeys.matches(k.salt(), k.hash(), parsed.get().secret())) {
      return Authentication.refused("unknown API key");
    }
    if (k.revoked()) {
      return Authentication.refused("API key '" + k.name() + "' was revoked");
    }
    if (k.expiresAt().isPresent() && !clock.instant().isBefore(k.expiresAt().get())) {
      return Authentication.refused("API key '" + k.name() + "' expired at " + k.expiresAt().get());
    }
    Map<String, Role> bindings = new HashMap<>();
    k.projects().forEach(p -> bindings.put(p, k.role()));
    return Authentication.ok(new Caller(k.name(), Caller.Kind.API_KEY, bindings));
  }

  public boolean projectExists(String name) {
    return DEFAULT_PROJECT.equals(name) || projects.containsKey(name);
  }

  /** The default project is shared: its profiles are everyone's building blocks. */
  public boolean projectShared(String name) {
    return DEFAULT_PROJECT.equals(name) || projects.getOrDefault(name, false);
  }

  public List<KeyView> keys() {
    return keysById.values().stream()
        .sorted(java.util.Comparator.comparing(KeyEntry::name))
        .map(
            k ->
                new KeyView(
                    k.name(), k.keyId(), k.role(), k.projects(), k.expiresAt(), k.revoked()))
        .toList();
  }

  public Optional<KeyView> key(String name) {
    return keys().stream().filter(k -> k.name().equals(name)).findFirst();
  }

  public List<String> projectNames() {
    java.util.TreeSet<String> names = new java.util.TreeSet<>(projects.keySet());
    names.add(DEFAULT_PROJECT);
    return List.copyOf(names);
  }

  /** An API key as the API lists it: never the secret, never the hash. */
  public record KeyView(
      String name,
      String keyId,
      Role role,
      List<String> projects,
      Optional<Instant> expiresAt,
      boolean revoked) {}

  public record Authentication(Optional<Caller> caller, String reason) {
    static Authentication ok(Caller c) {
      return new Authentication(Optional.of(c), "");
    }

    static Authentication refused(String reason) {
      return new Authentication(Optional.empty(), reason);
    }
  }
}
