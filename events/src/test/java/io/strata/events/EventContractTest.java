package io.strata.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventContractTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<DomainEvent> samples() {
    return EventSamples.all().stream();
  }

  @Test
  @DisplayName("every permitted subtype of DomainEvent is registered, and nothing else is")
  void everyPermittedSubtypeIsRegistered() {
    Set<Class<?>> leaves = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(DomainEvent.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else {
        leaves.add(c);
      }
    }
    assertThat(leaves).hasSize(26);
    assertThat(EventTypes.classes()).containsExactlyInAnyOrderElementsOf(castAll(leaves));
  }

  @Test
  @DisplayName("every registered type has a sample, so every type is covered by a golden fixture")
  void everyTypeHasASample() {
    assertThat(samples().map(e -> EventTypes.typeOf(e.getClass())))
        .containsExactlyInAnyOrderElementsOf(EventTypes.types());
  }

  @ParameterizedTest
  @MethodSource("samples")
  @DisplayName(
      "golden fixtures keep deserialising to the same event, and the event to the same JSON")
  void goldenFixtureRoundTrips(DomainEvent sample) throws IOException {
    String type = EventTypes.typeOf(sample.getClass());
    Path fixture = GOLDEN.resolve(type + ".json");
    if (!Files.exists(fixture) && Boolean.getBoolean("golden.write")) {
      Files.writeString(
          fixture,
          EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(sample) + "\n");
    }
    assertThat(fixture).as("golden fixture for %s", type).exists();
    byte[] golden = Files.readAllBytes(fixture);

    DomainEvent read = EventJson.fromBytes(type, golden);
    assertThat(read).isEqualTo(sample);
    JsonNode written = EventJson.mapper().readTree(EventJson.toBytes(read));
    assertThat(written).isEqualTo(EventJson.mapper().readTree(golden));
  }

  @ParameterizedTest
  @MethodSource("samples")
  @DisplayName(
      "every event survives Kafka binary mode with all CloudEvents attributes and extensions")
  void kafkaBinaryModeRoundTrip(DomainEvent event) {
    EventEnvelope sent =
        new EventEnvelope(
            UUID.randomUUID(),
            "/strata/test",
            Instant.parse("2026-11-24T10:15:30.123Z"),
            42,
            "alice",
            "corr-1",
            "team-a",
            event);
    Headers headers = new RecordHeaders();
    byte[] value;
    try (var ser = new CloudEventSerializer()) {
      ser.configure(Map.of(), false);
      value = ser.serialize(sent.topic(), headers, CloudEventCodec.toCloudEvent(sent));
    }
    assertThat(header(headers, "ce_type")).isEqualTo(EventTypes.typeOf(event.getClass()));
    assertThat(header(headers, "ce_subject")).isEqualTo(event.aggregateId());
    assertThat(header(headers, "ce_strataactor")).isEqualTo("alice");
    assertThat(header(headers, "ce_strataproject")).isEqualTo("team-a");
    assertThat(header(headers, "ce_strataseq")).isEqualTo("42");
    assertThat(header(headers, "content-type")).isEqualTo("application/json");
    assertThat(new String(value, StandardCharsets.UTF_8)).startsWith("{");

    CloudEvent received;
    try (var de = new CloudEventDeserializer()) {
      received = de.deserialize(sent.topic(), headers, value);
    }
    assertThat(CloudEventCodec.fromCloudEvent(received)).isEqualTo(sent);
  }

  @Test
  @DisplayName("a registration written before drift policies existed reads as policy correct")
  void registrationWithoutDriftPolicyMeansCorrect() {
    String before =
        """
        {"clusterId":"c-1","name":"prod-1","labels":{},"target":{"kind":"simulated","credentialsRef":""},
         "spec":{"generation":1,"profiles":[],"variables":{},"overrides":[]},"project":"default"}
        """;
    ClusterEvent.ClusterRegistered read =
        (ClusterEvent.ClusterRegistered)
            EventJson.fromBytes(
                "io.strata.cluster.ClusterRegistered.v1", before.getBytes(StandardCharsets.UTF_8));
    assertThat(read.driftPolicy()).isEqualTo(io.strata.events.cluster.DriftPolicy.CORRECT);
  }

  @Test
  @DisplayName(
      "a zarf reference reads the contract's 'package' and v1's 'packageRef', and writes 'packageRef'")
  void zarfPackageIsReadUnderBothNames() throws IOException {
    var fromContract =
        EventJson.mapper()
            .readValue(
                "{\"package\": \"oci://r/p\", \"version\": \"1\"}",
                io.strata.events.profile.ZarfRef.class);
    var fromV1 =
        EventJson.mapper()
            .readValue(
                "{\"packageRef\": \"oci://r/p\", \"version\": \"1\"}",
                io.strata.events.profile.ZarfRef.class);
    assertThat(fromContract).isEqualTo(fromV1);
    assertThat(fromContract.packageRef()).isEqualTo("oci://r/p");
    assertThat(EventJson.mapper().valueToTree(fromContract).fieldNames())
        .toIterable()
        .containsExactly("packageRef", "version");
  }

  @Test
  void unknownTypesAreRefusedByName() {
    assertThatThrownBy(() -> EventJson.fromBytes("io.strata.profile.Nope.v1", "{}".getBytes()))
        .isInstanceOf(UnknownEventTypeException.class)
        .hasMessageContaining("io.strata.profile.Nope.v1");
  }

  @Test
  void typesFollowTheNamingScheme() {
    assertThat(EventTypes.types())
        .allMatch(
            t ->
                t.matches(
                    "io\\.strata\\.(profile|pack|cluster|reconcile|project|apikey)\\.[A-Z][A-Za-z]+\\.v\\d+"))
        .noneMatch(t -> t.contains("Event."));
  }

  @Test
  void idsValidateThemselves() {
    assertThatThrownBy(() -> ProfileId.of("../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterId.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(ClusterId.generate().value()).startsWith("c-");
  }

  private static String header(Headers headers, String key) {
    var h = headers.lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Set<Class<? extends DomainEvent>> castAll(Set<Class<?>> classes) {
    Set<Class<? extends DomainEvent>> out = new HashSet<>();
    classes.forEach(c -> out.add((Class<? extends DomainEvent>) c));
    return out;
  }
}
