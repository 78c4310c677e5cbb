package io.strata.eventstore;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
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
 */
public final class FlushedOffsets {
  private record Held(long walInserted, Map<TopicPartition, OffsetAndMetadata> offsets) {}

  private final Supplier<EventStore.WalPosition> wal;
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  public FlushedOffsets(EventStore store) {
    this(store::walPosition);
  }

  FlushedOffsets(Supplier<EventStore.WalPosition> wal) {
    this.wal = wal;
  }

  /**
   * Takes the offsets of the records a poll has just committed to PostgreSQL and answers the
   * offsets, this poll's or earlier ones', whose transactions are now on disk: those to commit to
   * Kafka. Empty when nothing is ready, without a query when nothing is held.
   */
  public Map<TopicPartition, OffsetAndMetadata> durable(
      Map<TopicPartition, OffsetAndMetadata> applied) {
    if (applied.isEmpty() && held.isEmpty()) {
      return Map.of();
    }
    EventStore.WalPosition now = wal.get();
    if (!applied.isEmpty()) {
      // read after the commit: the commit record ends at or before this position
      held.add(new Held(now.inserted(), Map.copyOf(applied)));
    }
    Map<TopicPartition, OffsetAndMetadata> ready = new HashMap<>();
    while (!held.isEmpty() && held.peek().walInserted() <= now.flushed()) {
      ready.putAll(held.poll().offsets());
    }
    return ready;
  }

  /** Offsets held and not yet on disk (their records come again if the consumer stops now). */
  public int heldPolls() {
    return held.size();
  }
}
