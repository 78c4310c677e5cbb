package io.strata.kit.catalog;

import io.strata.events.EventEnvelope;
import io.strata.events.EventJson;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.Semver;
import io.strata.eventstore.Projection;
import io.strata.eventstore.StatementRuns;
import io.strata.eventstore.StatementRuns.Statement;
import io.strata.kit.security.AccessRegistry;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The projection of {@code strata.profile.events} that cluster-service and the reconciler keep:
 * every profile, version, revision and pack they may be asked to attach, diff or render. Idempotent
 * (the consumer records processed events in the same transaction) and rebuildable from offset 0.
 */
@Singleton
public class KnownProfiles implements Projection {
  /** Revisions never change once written: their parsed content is shared by every request. */
  private static final int CONTENT_CACHE_SIZE = 4096;

  private final AccessRegistry access;
  private final java.util.Map<String, Catalog.Content> contents =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final io.strata.eventstore.EventStore store;

  KnownProfiles(AccessRegistry access, io.strata.eventstore.EventStore store) {
    this.access = access;
    this.store = store;
  }

  /** The catalog as seen through {@code c}, for one decision or one batch of them. */
  public Catalog catalog(Connection c) {
    return catalog(
        new SqlCatalog.Lookups() {
          @Override
          public <T> T run(io.strata.eventstore.SqlWork<T> work) {
            try {
              return work.run(c);
            } catch (SQLException e) {
              throw new io.strata.eventstore.EventStoreException(
                  "catalog lookup failed: " + e.getMessage(), e);
            }
          }
        });
  }

  /**
   * The catalog with each lookup in a short transaction of its own: for work that must not hold a
   * connection while it waits on something else (fetching and rendering charts).
   */
  public Catalog catalog() {
    return catalog(
        new SqlCatalog.Lookups() {
          @Override
          public <T> T run(io.strata.eventstore.SqlWork<T> work) {
            return store.inTransaction(work);
          }
        });
  }

  private Catalog catalog(SqlCatalog.Lookups lookups) {
    if (contents.size() > CONTENT_CACHE_SIZE) {
      contents.clear();
    }
    return new SqlCatalog(lookups, access, contents);
  }

  @Override
  public void apply(Connection c, EventEnvelope e) throws SQLException {
    applyAll(c, java.util.List.of(e));
  }

  /**
   * A poll's events as few round trips: consecutive events with the same statement (a run of
   * in-place updates, the usual case) go as one JDBC batch, in their order.
   */
  @Override
  public void applyAll(Connection c, java.util.List<EventEnvelope> events) throws SQLException {
    StatementRuns.execute(
        c,
        events.stream()
            .map(KnownProfiles::statementOf)
            .flatMap(java.util.Optional::stream)
            .toList());
  }

  /** The statement an event calls for; none for events of other families. */
  private static java.util.Optional<Statement> statementOf(EventEnvelope e) {
    if (!(e.event() instanceof ProfileEvent event)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        switch (event) {
          case ProfileEvent.ProfileCreated p ->
              new Statement(
                  "INSERT INTO known_profiles (id, name, type, project) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (id) DO NOTHING",
                  p.profileId().value(),
                  p.name(),
                  p.type().name(),
                  p.project());
          case ProfileEvent.ProfileVersionCreated v ->
              new Statement(
                  WITH_REVISION
                      + "INSERT INTO known_versions (profile_id, version, latest_revision) VALUES (?,"
                      + " ?, ?) ON CONFLICT (profile_id, version) DO NOTHING",
                  withRevision(
                      v.profileId(),
                      v.version(),
                      v.revision(),
                      new Catalog.Content(v.variables(), v.layers()),
                      v.profileId().value(),
                      v.version().toString(),
                      v.revision()));
          case ProfileEvent.ProfileVersionUpdated v ->
              new Statement(
                  WITH_REVISION
                      + "UPDATE known_versions SET latest_revision = GREATEST(latest_revision, ?)"
                      + " WHERE profile_id = ? AND version = ?",
                  withRevision(
                      v.profileId(),
                      v.version(),
                      v.revision(),
                      new Catalog.Content(v.variables(), v.layers()),
                      v.revision(),
                      v.profileId().value(),
                      v.version().toString()));
          case ProfileEvent.ProfileVersionDeprecated d ->
              new Statement(
                  "UPDATE known_versions SET deprecated = true WHERE profile_id = ? AND version = ?",
                  d.profileId().value(),
                  d.version().toString());
          case ProfileEvent.ProfileVersionLocked l ->
              new Statement(
                  "UPDATE known_versions SET locked = true WHERE profile_id = ? AND version = ?",
                  l.profileId().value(),
                  l.version().toString());
          case ProfileEvent.ProfileDeleted d ->
              new Statement(
                  "UPDATE known_profiles SET deleted = true WHERE id = ?",
                  new Object[] {d.profileId().value()});
          case ProfileEvent.PackUploaded p ->
              new Statement(
                  "INSERT INTO known_packs (name, version, kind, digest, default_values, project)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name, version) DO NOTHING",
                  p.name(),
                  p.version(),
                  p.kind().name(),
                  p.digest(),
                  p.defaultValues(),
                  p.project());
        });
  }

  /**
   * A version event's revision is stored with the same statement that moves the version, so that a
   * run of in-place updates is one statement repeated, which {@link #applyAll} sends as a batch.
   */
  private static final String WITH_REVISION =
      "WITH r AS (INSERT INTO known_revisions (profile_id, version, revision, content) VALUES (?,"
          + " ?, ?, ?) ON CONFLICT DO NOTHING) ";

  /**
   * The parameters of {@link #WITH_REVISION} for the event's revision, then the statement's own.
   */
  private static Object[] withRevision(
      ProfileId profile, Semver version, int revision, Catalog.Content content, Object... own) {
    Object[] all = new Object[4 + own.length];
    all[0] = profile.value();
    all[1] = version.toString();
    all[2] = revision;
    all[3] = EventJson.write(content);
    System.arraycopy(own, 0, all, 4, own.length);
    return all;
  }
}
