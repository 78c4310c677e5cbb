package io.strata.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InterleaveTest {
  static Incoming at(String id, int second) {
    return new Incoming(
        UUID.nameUUIDFromBytes(id.getBytes()),
        "t",
        "x",
        "cluster",
        id,
        1,
        "",
        Instant.EPOCH.plusSeconds(second),
        "a",
        "",
        "default",
        "{}",
        new Incoming.Decoded.Flagged(Incoming.Flag.UNKNOWN_TYPE, ""));
  }

  @Test
  @DisplayName(
      "partitions are merged by time, each keeping its own order even when its times go back")
  void mergesByTimeKeepingPartitionOrder() {
    List<Incoming> merged =
        Interleave.byTime(
            List.of(
                List.of(at("a1", 1), at("a2", 5), at("a3", 2)), List.of(at("b1", 3), at("b2", 4))));
    assertThat(merged)
        .extracting(Incoming::aggregateId)
        .containsExactly("a1", "b1", "b2", "a2", "a3");
  }
}
