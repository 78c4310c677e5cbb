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
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The write path of every command on an existing profile, in one transaction: authorise on the
 * profile's project, bring the state up to date (the state kept from the profile's last command
 * here, or the snapshot, plus the newer events), decide, append (events + outbox), update the read
 * model, and now and then take a snapshot. After the commit the new state is kept for the next
 * command.
 */
@ApplicationScoped
public class ProfileCommands {
  /** A snapshot is taken once this many events have been appended since the last one. */
  static final int SNAPSHOT_EVERY = 4;

  /** A state of this many bytes spreads its snapshots: one event more per this many. */
  static final long SNAPSHOT_BYTES_PER_EVENT = 512 * 1024;

  /** At most this many events between two snapshots, whatever the state's size. */
  static final int SNAPSHOT_EVERY_AT_MOST = 16;

  /**
   * A kept state further behind than this many events is not caught up event by event: the snapshot
   * and the events after it are read instead (another replica took most commands).
   */
  static final int CATCH_UP_AT_MOST = 8;

  private final EventStore store;
  private final ProfileCatalog catalog;
  private final CallerContext caller;
  private final RecentStates recent;

  ProfileCommands(
      EventStore store,
      ProfileCatalog catalog,
      CallerContext caller,
      @ConfigProperty(name = "strata.profiles.kept-state-bytes", defaultValue = "16777216")
          long keptStateBytes,
      @ConfigProperty(name = "strata.profiles.kept-states", defaultValue = "4096") int keptStates) {
    this.store = store;
    this.catalog = catalog;
    this.caller = caller;
    this.recent = new RecentStates(keptStateBytes, keptStates);
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
    Committed done =
        store.inTransaction(
            c -> {
              ProfileView profile =
                  catalog
                      .findWithoutVersions(c, profileId)
                      .filter(v -> caller.caller().canSee(v.project()))
                      .orElseThrow(() -> ProblemException.notFound("profile " + profileId));
              caller.caller().require(profile.project(), role, "profile " + profileId);
              return run(c, profile, decision);
            });
    // only a committed state is kept: a rolled-back command leaves the kept one as it was
    recent.keep(done.id(), done.seq(), done.snapshotSeq(), done.state(), done.weight());
    return done.appended();
  }

  /** What a command committed, and the profile's state after it with its weight. */
  private record Committed(
      List<EventEnvelope> appended,
      ProfileId id,
      long seq,
      long snapshotSeq,
      Profile state,
      long weight) {}

  private Committed run(Connection c, ProfileView profile, Decision decision) throws SQLException {
    ProfileId id = ProfileId.of(profile.id());
    Current current = current(c, id);
    Profile state = current.state();
    long seq = current.seq();
    long base = current.snapshotSeq();
    List<ProfileEvent> events = decision.decide(c, profile, state);
    List<EventEnvelope> appended =
        store.append(c, id.value(), seq, events, caller.metadata(profile.project()));
    catalog.apply(c, appended);
    for (ProfileEvent e : events) {
      state = state.evolve(e);
    }
    long after = seq + appended.size();
    long weight = RecentStates.weight(state);
    if (!appended.isEmpty() && after - base >= snapshotEvery(weight, recent.fits(weight))) {
      store.saveSnapshot(c, id.value(), after, ProfileSnapshot.write(state));
      base = after;
    }
    return new Committed(appended, id, after, base, state, weight);
  }

  /**
   * Events between snapshots: {@link #SNAPSHOT_EVERY}, more for a large state that is kept. A
   * snapshot holds every version's content, so a profile of several 1 MB versions spent more
   * writing it every fourth command than all its other work; a kept state reads the snapshot only
   * after a restart, an eviction, or a long run of commands on another replica. A state too large
   * to keep is read from its snapshot on every command, so it keeps the short cadence.
   */
  static long snapshotEvery(long weight, boolean kept) {
    if (!kept) {
      return SNAPSHOT_EVERY;
    }
    return Math.clamp(weight / SNAPSHOT_BYTES_PER_EVENT, SNAPSHOT_EVERY, SNAPSHOT_EVERY_AT_MOST);
  }

  /** The sequence of the state this replica keeps for a profile, if it keeps one (diagnostics). */
  public Optional<Long> keptSeq(String profileId) {
    return recent.get(ProfileId.of(profileId)).map(RecentStates.Kept::seq);
  }

  /** A profile's state as of {@code seq}, and the sequence of its newest snapshot known. */
  private record Current(long seq, long snapshotSeq, Profile state) {}

  /** The profile's state now: the kept one plus the events after it, else snapshot plus events. */
  private Current current(Connection c, ProfileId id) throws SQLException {
    Optional<RecentStates.Kept> kept = recent.get(id);
    if (kept.isPresent()) {
      List<EventEnvelope> newer =
          store.loadAfter(c, id.value(), kept.get().seq(), CATCH_UP_AT_MOST + 1);
      if (newer.size() <= CATCH_UP_AT_MOST) {
        Profile state = kept.get().state();
        long seq = kept.get().seq();
        for (EventEnvelope e : newer) {
          state = state.evolve((ProfileEvent) e.event());
          seq = e.seq();
        }
        return new Current(seq, kept.get().snapshotSeq(), state);
      }
    }
    EventStore.Latest latest = store.latest(c, id.value());
    Profile state =
        latest.snapshot().map(s -> ProfileSnapshot.read(s.state())).orElse(Profile.initial(id));
    for (EventEnvelope e : latest.newer()) {
      state = state.evolve((ProfileEvent) e.event());
    }
    return new Current(
        latest.seq(), latest.snapshot().map(EventStore.Snapshot::seq).orElse(0L), state);
  }
}
