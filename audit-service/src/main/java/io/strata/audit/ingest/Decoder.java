package io.strata.audit.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.strata.events.CloudEventCodec;
import io.strata.events.DomainEvent;
import io.strata.events.EventJson;
import io.strata.events.EventTypes;
import io.strata.events.Topics;
import io.strata.events.UnknownEventTypeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into an {@link Incoming}, whatever it holds. The shared consumer
 * dead-letters what it cannot decode; an audit log must not lose it, so this one keeps every record
 * and flags what it could not read: an unknown type, a newer version of a known type, or bytes that
 * are not a CloudEvent at all.
 */
public final class Decoder {
  private static final Pattern TYPE =
      Pattern.compile("io\\.strata\\.([a-z]+)\\.([A-Za-z]+)\\.v(\\d+)");
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private Decoder() {}

  public static Incoming decode(ConsumerRecord<String, byte[]> r) {
    CloudEvent ce;
    try (CloudEventDeserializer de = new CloudEventDeserializer()) {
      ce = de.deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      return notACloudEvent(r, e);
    }
    byte[] bytes = ce.getData() == null ? new byte[0] : ce.getData().toBytes();
    String type = ce.getType();
    Instant time =
        (ce.getTime() == null ? Instant.ofEpochMilli(r.timestamp()) : ce.getTime().toInstant())
            .truncatedTo(ChronoUnit.MICROS);
    String subject = ce.getSubject() != null ? ce.getSubject() : r.key() == null ? "" : r.key();
    Incoming.Decoded decoded = decodeData(type, bytes, subject);
    return new Incoming(
        eventId(ce.getId(), r),
        r.topic(),
        type,
        aggregateType(type, r.topic(), decoded),
        subject,
        seqOf(ce.getExtension(CloudEventCodec.EXT_SEQ)),
        ce.getSource() == null ? "" : ce.getSource().toString(),
        time,
        text(ce.getExtension(CloudEventCodec.EXT_ACTOR), "anonymous"),
        text(ce.getExtension(CloudEventCodec.EXT_CORRELATION), ""),
        text(ce.getExtension(CloudEventCodec.EXT_PROJECT), "default"),
        jsonOrWrapped(bytes),
        decoded);
  }

  /** Known type → the event; otherwise which flag, and why. */
  static Incoming.Decoded decodeData(String type, byte[] data, String subject) {
    DomainEvent event;
    try {
      event = EventJson.fromBytes(type, data);
    } catch (UnknownEventTypeException e) {
      return newerVersionOfKnown(type)
          ? new Incoming.Decoded.Flagged(
              Incoming.Flag.NEWER_VERSION, type + " is newer than this build reads")
          : new Incoming.Decoded.Flagged(Incoming.Flag.UNKNOWN_TYPE, "unknown type " + type);
    } catch (RuntimeException e) {
      return new Incoming.Decoded.Flagged(
          Incoming.Flag.UNDECODABLE, "data does not match " + type + ": " + e.getMessage());
    }
    if (!event.aggregateId().equals(subject)) {
      return new Incoming.Decoded.Flagged(
          Incoming.Flag.UNDECODABLE, "subject " + subject + " is not the event's aggregate");
    }
    return new Incoming.Decoded.Known(event);
  }

  /** {@code io.strata.profile.ProfileCreated.v2} when this build knows v1. */
  static boolean newerVersionOfKnown(String type) {
    Matcher m = TYPE.matcher(type == null ? "" : type);
    if (!m.matches()) {
      return false;
    }
    int version = Integer.parseInt(m.group(3));
    String prefix = "io.strata." + m.group(1) + "." + m.group(2) + ".v";
    return EventTypes.types().stream()
        .filter(t -> t.startsWith(prefix))
        .mapToInt(t -> Integer.parseInt(t.substring(prefix.length())))
        .anyMatch(known -> known < version);
  }

  static String aggregateType(String type, String topic, Incoming.Decoded decoded) {
    if (decoded instanceof Incoming.Decoded.Known k) {
      return Topics.aggregateTypeOf(k.event());
    }
    Matcher m = TYPE.matcher(type == null ? "" : type);
    if (m.matches()) {
      return m.group(1);
    }
    return Map.of(
            Topics.PROFILE_EVENTS, "profile",
            Topics.CLUSTER_EVENTS, "cluster",
            Topics.RECONCILE_EVENTS, "reconcile",
            Topics.ACCESS_EVENTS, "access")
        .getOrDefault(topic, "unknown");
  }

  private static Incoming notACloudEvent(ConsumerRecord<String, byte[]> r, RuntimeException e) {
    byte[] bytes = r.value() == null ? new byte[0] : r.value();
    return new Incoming(
        positionId(r),
        r.topic(),
        "unknown",
        aggregateType("unknown", r.topic(), null),
        r.key() == null ? "" : r.key(),
        0,
        "",
        Instant.ofEpochMilli(r.timestamp()).truncatedTo(ChronoUnit.MICROS),
        "unknown",
        "",
        // no project to check against: only callers who see every project see it
        "",
        jsonOrWrapped(bytes),
        new Incoming.Decoded.Flagged(
            Incoming.Flag.UNDECODABLE, "not a CloudEvent: " + e.getMessage()));
  }

  /** The CloudEvent id, or (when it is not a UUID) one derived from it, stable on redelivery. */
  private static UUID eventId(String id, ConsumerRecord<String, byte[]> r) {
    if (id == null) {
      return positionId(r);
    }
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return UUID.nameUUIDFromBytes(("ce:" + id).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A record without an id is identified by where it sits: a redelivery is the same record. */
  private static UUID positionId(ConsumerRecord<String, byte[]> r) {
    return UUID.nameUUIDFromBytes(
        (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
  }

  private static long seqOf(Object seq) {
    if (seq instanceof Number n) {
      return n.longValue();
    }
    try {
      return seq == null ? 0 : Long.parseLong(seq.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String text(Object v, String fallback) {
    return v == null || v.toString().isBlank() ? fallback : v.toString();
  }

  /** The data as published when it is JSON; otherwise wrapped so that the column stays jsonb. */
  static String jsonOrWrapped(byte[] bytes) {
    try {
      if (bytes.length > 0 && !JSON.readTree(bytes).isMissingNode()) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        // jsonb refuses the NUL character; such data is kept as base64 like any other bytes
        if (!text.contains("\\u0000")) {
          return text;
        }
      }
    } catch (java.io.IOException e) {
      // falls through: kept as base64
    }
    return wrapped(bytes);
  }

  /** Any bytes as a JSON object {@code {"raw": "<base64>"}}. */
  static String wrapped(byte[] bytes) {
    try {
      return JSON.writeValueAsString(Map.of("raw", Base64.getEncoder().encodeToString(bytes)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
