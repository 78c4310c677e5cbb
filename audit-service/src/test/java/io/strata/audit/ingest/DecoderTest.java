package io.strata.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.strata.audit.Fixtures;
import io.strata.events.CloudEventCodec;
import io.strata.events.EventEnvelope;
import io.strata.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DecoderTest {
  static ConsumerRecord<String, byte[]> record(CloudEvent ce) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value;
    try (CloudEventSerializer s = new CloudEventSerializer()) {
      s.configure(Map.of(), false);
      value = s.serialize(Topics.PROFILE_EVENTS, headers, ce);
    }
    return new ConsumerRecord<>(
        Topics.PROFILE_EVENTS,
        0,
        42,
        0L,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        0,
        0,
        ce.getSubject(),
        value,
        headers,
        java.util.Optional.empty());
  }

  static CloudEvent ce(String type, String data) {
    return CloudEventCodec.toCloudEvent(
        UUID.randomUUID(),
        "/strata/test",
        type,
        "p-1",
        Instant.parse("2026-11-24T10:00:00Z"),
        3,
        "alice",
        "corr",
        "team-a",
        data.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a known event is decoded with its metadata")
  void known() {
    EventEnvelope e =
        new EventEnvelope(
            UUID.randomUUID(),
            "/strata/test",
            Instant.parse("2026-11-24T10:00:00Z"),
            1,
            "alice",
            "c",
            "team-a",
            Fixtures.profileCreated("p-1", "web", "team-a"));
    Incoming in = Decoder.decode(record(CloudEventCodec.toCloudEvent(e)));
    assertThat(in.decoded()).isInstanceOf(Incoming.Decoded.Known.class);
    assertThat(in.flagLabel()).isEmpty();
    assertThat(in.actor()).isEqualTo("alice");
    assertThat(in.project()).isEqualTo("team-a");
    assertThat(in.aggregateType()).isEqualTo("profile");
    assertThat(in.eventId()).isEqualTo(e.id());
  }

  @Test
  @DisplayName("a newer version of a known type is kept raw and flagged newer-version")
  void newerVersion() {
    Incoming in =
        Decoder.decode(
            record(ce("io.strata.profile.ProfileCreated.v2", "{\"profileId\":\"p-1\",\"x\":1}")));
    assertThat(in.flagLabel()).isEqualTo("newer-version");
    assertThat(in.data()).contains("\"x\":1");
    assertThat(in.aggregateType()).isEqualTo("profile");
    assertThat(in.aggregateSeq()).isEqualTo(3);
  }

  @Test
  @DisplayName("an unknown type is kept raw and flagged unknown-type; bad data is undecodable")
  void unknownAndUndecodable() {
    assertThat(Decoder.decode(record(ce("io.strata.profile.ProfileRenamed.v1", "{}"))).flagLabel())
        .isEqualTo("unknown-type");
    Incoming bad = Decoder.decode(record(ce("io.strata.profile.ProfileCreated.v1", "not json")));
    assertThat(bad.flagLabel()).isEqualTo("undecodable");
    assertThat(bad.data()).startsWith("{\"raw\":");
  }

  @Test
  @DisplayName("a record that is not a CloudEvent is kept, identified by its position")
  void notACloudEvent() {
    ConsumerRecord<String, byte[]> r =
        new ConsumerRecord<>(
            Topics.CLUSTER_EVENTS, 1, 7, "k", "garbage".getBytes(StandardCharsets.UTF_8));
    Incoming a = Decoder.decode(r);
    Incoming b = Decoder.decode(r);
    assertThat(a.flagLabel()).isEqualTo("undecodable");
    assertThat(a.eventId()).isEqualTo(b.eventId());
    assertThat(a.project()).isEmpty();
    assertThat(a.aggregateType()).isEqualTo("cluster");
  }
}
