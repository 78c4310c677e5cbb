package io.strata.eventstore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer's Kafka offsets, held back until PostgreSQL has flushed the transactions that applied
 * their records. Projections commit without waiting for the flush ({@link
 * EventStore#inTransactionFlushedLater}); an offset committed before the flush would lose a change
 * for good if PostgreSQL crashed in between, because Kafka would not bring its records again. What
 * is held when a consumer stops is replayed by the next one, which {@code processed_events} (and
 * the audit log's event ids) make harmless. One per Kafka consumer, used from its thread.
 *
 * <p>Offsets are looked at no more often than {@link #EVERY}: the polls in between add theirs to
 * the next look. At 200 events/s the consumers' offset commits (which the broker writes to its
 * offsets topic) were 28 of the broker's ~125 requests a second, each after a WAL query of its own
 * (ADR 21). A crash or a move of the partitions replays at most that much more.
 */
public final class FlushedOffsets {
  /** At most one WAL query and one offset commit per consumer this often. */
  public static final Duration EVERY = Duration.ofSeconds(1);

  private record Held(long walInserted, Map<TopicPartition, OffsetAndMetadata> offsets) {}

  private final Supplier<EventStore.WalPosition> wal;
  private final LongSupplier nanoClock;
  private final long everyNanos;
  private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private long lastLook;

  public FlushedOffsets(EventStore store) {
    this(store::walPosition, System::nanoTime, EVERY);
  }

  FlushedOffsets(Supplier<EventStore.WalPosition> wal, LongSupplier nanoClock, Duration every) {
    this.wal = wal;
    this.nanoClock = nanoClock;
    this.everyNanos = every.toNanos();
    this.lastLook = nanoClock.getAsLong() - everyNanos;
  }

  /**
   * Takes the offsets of the records a poll has just committed to PostgreSQL and answers the
   * offsets, this poll's or earlier ones', whose transactions are now on disk: those to commit to
   * Kafka. Empty when nothing is ready or it is too soon to look; no query when nothing is held.
   */
  public Map<TopicPartition, OffsetAndMetadata> durable(
      Map<TopicPartition, OffsetAndMetadata> applied) {
    // a later poll's offset for a partition replaces an earlier one's: offsets only grow
    pending.putAll(applied);
    if (pending.isEmpty() && held.isEmpty()) {
      return Map.of();
    }
    long now = nanoClock.getAsLong();
    if (now - lastLook < everyNanos) {
      return Map.of();
    }
    lastLook = now;
    EventStore.WalPosition position = wal.get();
    if (!pending.isEmpty()) {
      // read after the pending polls' commits: their commit records end at or before this position
      held.add(new Held(position.inserted(), Map.copyOf(pending)));
      pending.clear();
    }
    Map<TopicPartition, OffsetAndMetadata> ready = new HashMap<>();
    while (!held.isEmpty() && held.peek().walInserted() <= position.flushed()) {
      ready.putAll(held.poll().offsets());
    }
    return ready;
  }

  /**
   * Looks whose offsets still wait for the flush (their records come again if the consumer stops
   * now, as do those of polls since the last look).
   */
  public int heldLooks() {
    return held.size();
  }
}
