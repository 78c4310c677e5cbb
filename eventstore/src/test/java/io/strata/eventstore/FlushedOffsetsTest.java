package io.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FlushedOffsetsTest {
  private static final TopicPartition P0 = new TopicPartition("strata.profile.events", 0);
  private static final TopicPartition P1 = new TopicPartition("strata.profile.events", 1);

  /**
   * Answers the given positions in turn, as the database would after each poll; looks at every
   * poll.
   */
  private static FlushedOffsets over(EventStore.WalPosition... positions) {
    ArrayDeque<EventStore.WalPosition> next = new ArrayDeque<>(List.of(positions));
    return new FlushedOffsets(next::removeFirst, () -> 0L, Duration.ZERO);
  }

  private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition tp, long offset) {
    return Map.of(tp, new OffsetAndMetadata(offset));
  }

  @Test
  @DisplayName("an offset waits until the log is flushed past its commit, then comes out once")
  void offsetsWaitForTheFlush() {
    FlushedOffsets offsets =
        over(
            new EventStore.WalPosition(100, 40),
            new EventStore.WalPosition(100, 99),
            new EventStore.WalPosition(100, 100),
            new EventStore.WalPosition(100, 100));

    assertThat(offsets.durable(at(P0, 7))).isEmpty();
    assertThat(offsets.heldLooks()).isEqualTo(1);
    assertThat(offsets.durable(Map.of())).isEmpty();
    assertThat(offsets.durable(Map.of())).isEqualTo(at(P0, 7));
    assertThat(offsets.heldLooks()).isZero();
    assertThat(offsets.durable(Map.of())).as("nothing held: no query, nothing to commit").isEmpty();
  }

  @Test
  @DisplayName("polls come out in order; a later poll's offset for a partition wins")
  void laterPollsWin() {
    FlushedOffsets offsets =
        over(
            new EventStore.WalPosition(100, 50),
            new EventStore.WalPosition(200, 150),
            new EventStore.WalPosition(300, 300));

    assertThat(offsets.durable(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(3))))
        .isEmpty();
    assertThat(offsets.durable(at(P0, 9)))
        .as("the first poll is on disk, the second not yet")
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(3)));
    assertThat(offsets.durable(at(P1, 4)))
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(9), P1, new OffsetAndMetadata(4)));
  }

  @Test
  @DisplayName("a poll whose records were all seen before and a flushed log commit at once")
  void flushedAtOnce() {
    FlushedOffsets offsets = over(new EventStore.WalPosition(500, 500));
    assertThat(offsets.durable(at(P1, 12))).isEqualTo(at(P1, 12));
  }

  @Test
  @DisplayName("polls within a second share one look: one query, one commit of their last offsets")
  void oneLookASecond() {
    long[] clock = {0};
    int[] queries = {0};
    EventStore.WalPosition flushed = new EventStore.WalPosition(100, 100);
    FlushedOffsets offsets =
        new FlushedOffsets(
            () -> {
              queries[0]++;
              return flushed;
            },
            () -> clock[0],
            Duration.ofSeconds(1));

    assertThat(offsets.durable(at(P0, 3)))
        .as("the first poll is looked at at once")
        .isEqualTo(at(P0, 3));
    clock[0] = 300_000_000L;
    assertThat(offsets.durable(at(P0, 8))).isEmpty();
    clock[0] = 900_000_000L;
    assertThat(offsets.durable(at(P1, 2))).isEmpty();
    assertThat(offsets.durable(Map.of())).isEmpty();
    assertThat(queries[0]).isEqualTo(1);

    clock[0] = 1_000_000_000L;
    assertThat(offsets.durable(Map.of()))
        .as("an idle poll a second after the last look commits what the busy ones left")
        .isEqualTo(Map.of(P0, new OffsetAndMetadata(8), P1, new OffsetAndMetadata(2)));
    assertThat(queries[0]).isEqualTo(2);
    clock[0] = 5_000_000_000L;
    assertThat(offsets.durable(Map.of())).as("nothing waiting: no query").isEmpty();
    assertThat(queries[0]).isEqualTo(2);
  }
}
