package io.strata.profile.write;

import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.access.Role;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.CallerContext;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileSnapshot;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.read.catalog.ProfileView;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The write path of every command on an existing profile, in one transaction: authorise on the
 * profile's project, fold the state (snapshot plus newer events), decide, append (events + outbox),
 * update the read model, and now and then take a snapshot.
 */
@ApplicationScoped
public class ProfileCommands {
  /** A snapshot is taken once this many events have been appended since the last one. */
  static final int SNAPSHOT_EVERY = 4;

  private final EventStore store;
  private final ProfileCatalog catalog;
  private final CallerContext caller;

  ProfileCommands(EventStore store, ProfileCatalog catalog, CallerContext caller) {
    this.store = store;
    this.catalog = catalog;
    this.caller = caller;
  }

  /** Decides with the transaction's connection at hand (for registry lookups) and the state. */
  @FunctionalInterface
  public interface Decision {
    List<ProfileEvent> decide(Connection c, ProfileView profile, Profile state) throws SQLException;
  }

  /**
   * Runs a command if the caller holds {@code role} in the profile's project: 404 when it cannot
   * see the profile (existence does not leak), 403 when its role there is too low.
   */
  public List<EventEnvelope> execute(String profileId, Role role, Decision decision) {
    return store.inTransaction(
        c -> {
          ProfileView profile =
              catalog
                  .findWithoutVersions(c, profileId)
                  .filter(v -> caller.caller().canSee(v.project()))
                  .orElseThrow(() -> ProblemException.notFound("profile " + profileId));
          caller.caller().require(profile.project(), role, "profile " + profileId);
          return run(c, profile, decision);
        });
  }

  private List<EventEnvelope> run(Connection c, ProfileView profile, Decision decision)
      throws SQLException {
    ProfileId id = ProfileId.of(profile.id());
    EventStore.Latest latest = store.latest(c, id.value());
    long base = latest.snapshot().map(EventStore.Snapshot::seq).orElse(0L);
    Profile state =
        latest.snapshot().map(s -> ProfileSnapshot.read(s.state())).orElse(Profile.initial(id));
    for (EventEnvelope e : latest.newer()) {
      state = state.evolve((ProfileEvent) e.event());
    }
    long seq = latest.seq();
    List<ProfileEvent> events = decision.decide(c, profile, state);
    List<EventEnvelope> appended =
        store.append(c, id.value(), seq, events, caller.metadata(profile.project()));
    catalog.apply(c, appended);
    if (!appended.isEmpty() && seq + appended.size() - base >= SNAPSHOT_EVERY) {
      for (ProfileEvent e : events) {
        state = state.evolve(e);
      }
      store.saveSnapshot(c, id.value(), seq + appended.size(), ProfileSnapshot.write(state));
    }
    return appended;
  }
}
