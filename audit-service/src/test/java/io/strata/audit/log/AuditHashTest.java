package io.strata.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AuditHashTest {
  private static AuditHash.Chained record(String data) {
    return new AuditHash.Chained(
        7,
        "5f0c3c1e-1d1f-4b7a-9a53-7f3f1f0e0a01",
        "io.strata.profile.ProfileCreated.v1",
        "p-1",
        1,
        "alice",
        "default",
        Instant.parse("2026-11-24T10:15:30.123456789Z"),
        data);
  }

  @Test
  @DisplayName("the hash ignores key order and whitespace of the data, as jsonb does")
  void canonicalData() {
    String a = AuditHash.hash(AuditHash.GENESIS, record("{\"b\": 1.50, \"a\": [1, 2]}"));
    String b = AuditHash.hash(AuditHash.GENESIS, record("{\"a\":[1,2],\"b\":1.50}"));
    assertThat(a).isEqualTo(b).hasSize(64);
  }

  @Test
  @DisplayName("any change of content or predecessor changes the hash")
  void sensitiveToEverything() {
    String base = AuditHash.hash(AuditHash.GENESIS, record("{\"a\":1}"));
    assertThat(AuditHash.hash(AuditHash.GENESIS, record("{\"a\":2}"))).isNotEqualTo(base);
    assertThat(AuditHash.hash("1".repeat(64), record("{\"a\":1}"))).isNotEqualTo(base);
  }

  @Test
  void timeIsHashedAtMicrosecondPrecision() {
    var nanos = record("{}");
    var micros =
        new AuditHash.Chained(
            7,
            nanos.eventId(),
            nanos.type(),
            "p-1",
            1,
            "alice",
            "default",
            Instant.parse("2026-11-24T10:15:30.123456Z"),
            "{}");
    assertThat(AuditHash.hash(AuditHash.GENESIS, nanos))
        .isEqualTo(AuditHash.hash(AuditHash.GENESIS, micros));
  }
}
