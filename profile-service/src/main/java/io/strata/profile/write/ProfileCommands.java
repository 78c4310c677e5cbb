package io.strata.profile.write;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.events.EventEnvelope;
import io.strata.events.ProfileEvent;
import io.strata.events.ProfileId;
import io.strata.events.access.Role;
import io.strata.eventstore.CommandMetadata;
import io.strata.eventstore.EventStore;
import io.strata.kit.http.ProblemException;
import io.strata.kit.security.Caller;
import io.strata.kit.security.CallerContext;
import io.strata.profile.domain.Profile;
import io.strata.profile.domain.ProfileSnapshot;
import io.strata.profile.read.catalog.ProfileCatalog;
import io.strata.profile.read.catalog.ProfileView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The write path of every command on an existing profile: authorise on the profile's project, bring
 * the state up to date (the state kept from the profile's last command here, or the snapshot, plus
 * the newer events), decide, append (events + outbox), update the read model, and now and then take
 * a snapshot. After the commit the new state is kept for the next command.
 *
 * <p>Commands are carried out in groups, one transaction each, by writer threads (a profile's
 * commands always by the same one): the commands that arrive while a writer's group commits form
 * its next group. A group reads its profiles, the newer events and appends the events of all its
 * commands with one round trip each, and commits once. One command alone is a group of one, so an
 * idle platform answers as fast as before; under load the database's work per command shrinks as
 * the groups grow. A refused command writes nothing and does not stop the others. When the group's
 * transaction fails (a conflict with another replica, a database error), each of its commands is
 * run again alone, so each gets its own answer.
 */
@ApplicationScoped
public class ProfileCommands {
  private static final Logger LOG = Logger.getLogger(ProfileCommands.class);

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

  /** At most this many commands in one transaction. */
  static final int GROUP_AT_MOST = 64;

  private final EventStore store;
  private final ProfileCatalog catalog;
  private final CallerContext caller;
  private final RecentStates recent;
  private final DistributionSummary groupSizes;
  private final io.micrometer.core.instrument.Counter redone;
  private final List<Writer> writers;
  private final java.time.Duration lockTimeout;
  private volatile boolean running = true;

  ProfileCommands(
      EventStore store,
      ProfileCatalog catalog,
      CallerContext caller,
      MeterRegistry meters,
      @ConfigProperty(name = "strata.profiles.kept-state-bytes", defaultValue = "16777216")
          long keptStateBytes,
      @ConfigProperty(name = "strata.profiles.kept-states", defaultValue = "4096") int keptStates,
      @ConfigProperty(name = "strata.profiles.command-writers", defaultValue = "2") int writers,
      @ConfigProperty(name = "strata.profiles.lock-timeout", defaultValue = "PT5S")
          java.time.Duration lockTimeout) {
    this.store = store;
    this.catalog = catalog;
    this.caller = caller;
    this.recent = new RecentStates(keptStateBytes, keptStates);
    this.lockTimeout = lockTimeout;
    this.writers =
        java.util.stream.IntStream.range(0, Math.max(1, writers))
            .mapToObj(i -> new Writer("profile-commands-writer-" + i))
            .toList();
    this.groupSizes =
        DistributionSummary.builder("strata.profile.command.group")
            .description("commands carried out in one transaction")
            .register(meters);
    this.redone =
        io.micrometer.core.instrument.Counter.builder("strata.profile.command.redone")
            .description("commands run again alone after their group's transaction failed")
            .register(meters);
  }

  void start(@Observes StartupEvent ignored) {
    writers.forEach(w -> w.thread.start());
  }

  /** Lets each writer finish its group (a writer waits at most a second for new work). */
  void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
    running = false;
    for (Writer w : writers) {
      w.thread.join(10_000);
      w.refuseQueued();
    }
  }

  /**
   * A writer thread and the commands waiting for it. A profile's commands always go to the same
   * writer, so two groups never race on one profile's sequence; the writers overlap one another's
   * decisions and commits.
   */
  private final class Writer {
    private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    Writer(String name) {
      thread = new Thread(this::write, name);
      thread.setDaemon(true);
    }

    void refuseQueued() {
      for (Command c = queue.poll(); c != null; c = queue.poll()) {
        c.answer().completeExceptionally(unavailable());
      }
    }

    private void write() {
      List<Command> group = new ArrayList<>();
      while (running) {
        try {
          Command first = queue.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          group.add(first);
          queue.drainTo(group, GROUP_AT_MOST - 1);
          groupSizes.record(group.size());
          run(group);
        } catch (InterruptedException e) {
          // only stop() ends a writer: a stray interrupt must not leave its profiles unserved
          if (!running) {
            break;
          }
        } catch (Throwable e) {
          // the writer survives anything, or every later command would wait forever
          LOG.errorf(e, "a group of %d profile commands failed", group.size());
          group.forEach(c -> c.answer().completeExceptionally(e));
        } finally {
          group.clear();
        }
      }
      refuseQueued();
    }
  }

  /** Decides with the transaction's connection at hand (for registry lookups) and the state. */
  @FunctionalInterface
  public interface Decision {
    List<ProfileEvent> decide(Connection c, ProfileView profile, Profile state) throws SQLException;
  }

  /**
   * Runs a command if the caller holds {@code role} in the profile's project: 404 when it cannot
   * see the profile (existence does not leak), 403 when its role there is too low. Answers when the
   * command's transaction committed (or it was refused).
   */
  public List<EventEnvelope> execute(String profileId, Role role, Decision decision) {
    // the request's caller and correlation id, taken here: the writer thread has no request
    Command command =
        new Command(
            profileId,
            role,
            decision,
            caller.caller(),
            caller.metadata(""),
            new CompletableFuture<>());
    if (!running) {
      throw unavailable();
    }
    Writer writer = writers.get(writerOf(profileId));
    if (!writer.thread.isAlive()) {
      throw unavailable();
    }
    writer.queue.add(command);
    if (!running) {
      writer.refuseQueued();
    }
    try {
      return command.answer().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** A command waiting for its group, with what its request knew. */
  private record Command(
      String profileId,
      Role role,
      Decision decision,
      Caller who,
      CommandMetadata meta,
      CompletableFuture<List<EventEnvelope>> answer) {}

  private static ProblemException unavailable() {
    return new ProblemException(503, "Service Unavailable", "profile-service is stopping");
  }

  /** A group in one transaction; if that fails, each of its commands alone. */
  private void run(List<Command> group) {
    Decided decided;
    boolean[] wrote = {false};
    try {
      decided =
          store.inTransaction(
              c -> {
                Decided d = decideAndWrite(c, group);
                wrote[0] = true;
                return d;
              });
    } catch (RuntimeException e) {
      // not redone: a command alone; a failed commit, which may have committed after all (a redo
      // would refuse an update as stale against its own revision); a database that is away,
      // where each redo would wait out the connection timeout in turn
      if (group.size() == 1 || wrote[0] || databaseAway(e)) {
        group.forEach(command -> command.answer().completeExceptionally(e));
        return;
      }
      redone.increment(group.size());
      for (Command command : group) {
        run(List.of(command));
      }
      return;
    }
    // only a committed state is kept: a rolled-back group leaves the kept ones as they were
    for (Kept k : decided.kept()) {
      recent.keep(k.id(), k.seq(), k.snapshotSeq(), k.state(), k.weight());
    }
    for (Command command : group) {
      switch (decided.outcomes().get(command)) {
        case Outcome.Written w -> command.answer().complete(w.appended());
        case Outcome.Refused r -> command.answer().completeExceptionally(r.reason());
      }
    }
  }

  /** No connection, or the server is going away: nothing a command of the group did. */
  private static boolean databaseAway(RuntimeException e) {
    if (!(e instanceof io.strata.eventstore.EventStoreException)
        || !(e.getCause() instanceof SQLException s)) {
      return false;
    }
    String state = s.getSQLState();
    return state == null
        || state.startsWith("08")
        || state.startsWith("53")
        || state.startsWith("57");
  }

  /** Whether a statement of the transaction failed (PostgreSQL then refuses every later one). */
  private static boolean aborted(Connection c) throws SQLException {
    return c.isWrapperFor(org.postgresql.core.BaseConnection.class)
        && c.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState()
            == org.postgresql.core.TransactionState.FAILED;
  }

  /** What a command of a group came to. */
  private sealed interface Outcome {
    /** Its events (none when it changed nothing). */
    record Written(List<EventEnvelope> appended) implements Outcome {}

    /** Refused before it wrote anything. */
    record Refused(RuntimeException reason) implements Outcome {}
  }

  /** A profile's state after a group's commands, to keep once the group committed. */
  private record Kept(ProfileId id, long seq, long snapshotSeq, Profile state, long weight) {}

  /** What each command of a group came to, and the states to keep once it committed. */
  private record Decided(Map<Command, Outcome> outcomes, java.util.Collection<Kept> kept) {}

  /** A profile's state as a group moves it: as of {@code seq}, its newest snapshot known. */
  private record Current(long seq, long snapshotSeq, Profile state) {}

  /**
   * Reads every profile of the group and the events it lacks (one query each), decides each command
   * on its profile's state as the group's earlier commands left it, then appends all the events,
   * updates the read model and takes the snapshots due, each in one round trip.
   */
  private Decided decideAndWrite(Connection c, List<Command> group) throws SQLException {
    // a lock held elsewhere (another replica's transaction, an operator's session) fails this
    // group after a while, and its commands are redone alone, instead of holding up every
    // profile of this writer
    List<String> ids = group.stream().map(Command::profileId).distinct().toList();
    Map<String, ProfileView> views = catalog.findAllForWriting(c, ids, lockTimeout);
    Map<String, Current> current = current(c, views);
    // by identity: each waiting request is its own command
    Map<Command, Outcome> outcomes = new IdentityHashMap<>();
    List<Command> appending = new ArrayList<>();
    List<EventStore.Append> appends = new ArrayList<>();
    for (Command command : group) {
      try {
        ProfileView profile =
            Optional.ofNullable(views.get(command.profileId()))
                .filter(v -> command.who().canSee(v.project()))
                .orElseThrow(() -> ProblemException.notFound("profile " + command.profileId()));
        command.who().require(profile.project(), command.role(), "profile " + profile.id());
        Current before = current.get(profile.id());
        List<ProfileEvent> events = command.decision().decide(c, profile, before.state());
        if (events.isEmpty()) {
          outcomes.put(command, new Outcome.Written(List.of()));
          continue;
        }
        Profile after = before.state();
        for (ProfileEvent e : events) {
          after = after.evolve(e);
        }
        appends.add(
            new EventStore.Append(
                profile.id(),
                before.seq(),
                events,
                new CommandMetadata(
                    command.meta().actor(), command.meta().correlationId(), profile.project())));
        appending.add(command);
        current.put(
            profile.id(), new Current(before.seq() + events.size(), before.snapshotSeq(), after));
      } catch (ProblemException | io.strata.profile.domain.ProfileRejected e) {
        if (aborted(c)) {
          // the refusal followed a failed statement: the group cannot go on, and is redone
          throw e;
        }
        outcomes.put(command, new Outcome.Refused(e));
      }
    }
    // written in profile order (each profile's own commands in theirs): two replicas' groups then
    // take the rows and index entries of shared profiles in the same order, and cannot deadlock
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < appends.size(); i++) {
      order.add(i);
    }
    order.sort(java.util.Comparator.comparing(i -> appends.get(i).aggregateId()));
    List<EventStore.Append> sorted = order.stream().map(appends::get).toList();
    List<Command> writing = order.stream().map(appending::get).toList();
    List<List<EventEnvelope>> appended = store.appendAll(c, sorted);
    catalog.apply(c, appended.stream().flatMap(List::stream).toList());
    for (int i = 0; i < writing.size(); i++) {
      outcomes.put(writing.get(i), new Outcome.Written(appended.get(i)));
    }
    return new Decided(outcomes, snapshotsAndKept(c, sorted, current).values());
  }

  /** Takes the snapshots due after the group; answers the states to keep, by profile. */
  private Map<String, Kept> snapshotsAndKept(
      Connection c, List<EventStore.Append> appends, Map<String, Current> current)
      throws SQLException {
    Map<String, Kept> kept = new HashMap<>();
    for (EventStore.Append a : appends) {
      if (kept.containsKey(a.aggregateId())) {
        continue;
      }
      Current now = current.get(a.aggregateId());
      long weight = RecentStates.weight(now.state());
      long base = now.snapshotSeq();
      if (now.seq() - base >= snapshotEvery(weight, recent.fits(weight))) {
        store.saveSnapshot(c, a.aggregateId(), now.seq(), ProfileSnapshot.write(now.state()));
        base = now.seq();
      }
      kept.put(
          a.aggregateId(),
          new Kept(ProfileId.of(a.aggregateId()), now.seq(), base, now.state(), weight));
    }
    return kept;
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

  /** Which writer carries out a profile's commands (diagnostics). */
  public int writerOf(String profileId) {
    return Math.floorMod(profileId.hashCode(), writers.size());
  }

  /** How many commands wait for the writers (diagnostics). */
  public int waiting() {
    return writers.stream().mapToInt(w -> w.queue.size()).sum();
  }

  /** The sequence of the state this replica keeps for a profile, if it keeps one (diagnostics). */
  public Optional<Long> keptSeq(String profileId) {
    return recent.get(ProfileId.of(profileId)).map(RecentStates.Kept::seq);
  }

  /**
   * The profiles' states now: the kept ones plus the events after them (one query for all), else
   * the snapshot plus the events after it. The catalog row, read in the group's transaction, holds
   * the profile's last sequence (every profile event moves it in the appending transaction), so a
   * kept state that is as new needs no read of the events at all: the usual case, one replica
   * writing.
   */
  private Map<String, Current> current(Connection c, Map<String, ProfileView> views)
      throws SQLException {
    Map<String, RecentStates.Kept> kept = new HashMap<>();
    for (String id : views.keySet()) {
      recent.get(ProfileId.of(id)).ifPresent(k -> kept.put(id, k));
    }
    Map<String, Long> after = new HashMap<>();
    kept.forEach(
        (id, k) -> {
          if (k.seq() != views.get(id).seq()) {
            after.put(id, k.seq());
          }
        });
    Map<String, List<EventEnvelope>> newer = store.loadAfterAll(c, after, CATCH_UP_AT_MOST + 1);
    Map<String, Current> out = new HashMap<>();
    for (String id : views.keySet()) {
      RecentStates.Kept k = kept.get(id);
      List<EventEnvelope> behind = newer.getOrDefault(id, List.of());
      if (k != null && behind.size() <= CATCH_UP_AT_MOST) {
        Profile state = k.state();
        long seq = k.seq();
        for (EventEnvelope e : behind) {
          state = state.evolve((ProfileEvent) e.event());
          seq = e.seq();
        }
        out.put(id, new Current(seq, k.snapshotSeq(), state));
        continue;
      }
      EventStore.Latest latest = store.latest(c, id);
      Profile state =
          latest
              .snapshot()
              .map(s -> ProfileSnapshot.read(s.state()))
              .orElse(Profile.initial(ProfileId.of(id)));
      for (EventEnvelope e : latest.newer()) {
        state = state.evolve((ProfileEvent) e.event());
      }
      out.put(
          id,
          new Current(
              latest.seq(), latest.snapshot().map(EventStore.Snapshot::seq).orElse(0L), state));
    }
    return out;
  }
}
