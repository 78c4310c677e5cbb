package io.strata.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Maps envelopes to CloudEvents 1.0 and back. On Kafka the events travel in binary mode ({@code
 * ce_*} headers, data as the record value, key = aggregate id) through cloudevents-kafka's {@code
 * CloudEventSerializer}/{@code CloudEventDeserializer}.
 */
public final class CloudEventCodec {
  public static final String EXT_SEQ = "strataseq";
  public static final String EXT_ACTOR = "strataactor";
  public static final String EXT_CORRELATION = "stratacorrelation";
  public static final String EXT_PROJECT = "strataproject";
  public static final String CONTENT_TYPE = "application/json";

  private CloudEventCodec() {}

  public static CloudEvent toCloudEvent(EventEnvelope e) {
    return toCloudEvent(e, EventJson.toBytes(e.event()));
  }

  /** With data already serialised (as the event store keeps it). */
  public static CloudEvent toCloudEvent(EventEnvelope e, byte[] data) {
    return toCloudEvent(
        e.id(),
        e.source(),
        e.type(),
        e.subject(),
        e.time(),
        e.seq(),
        e.actor(),
        e.correlationId(),
        e.project(),
        data);
  }

  /** From stored columns, without deserialising the data (the outbox relay's hot path). */
  public static CloudEvent toCloudEvent(
      UUID id,
      String source,
      String type,
      String subject,
      java.time.Instant time,
      long seq,
      String actor,
      String correlationId,
      String project,
      byte[] data) {
    return CloudEventBuilder.v1()
        .withId(id.toString())
        .withSource(URI.create(source))
        .withType(type)
        .withSubject(subject)
        .withTime(time.atOffset(ZoneOffset.UTC))
        .withDataContentType(CONTENT_TYPE)
        .withData(data)
        .withExtension(EXT_SEQ, seq)
        .withExtension(EXT_ACTOR, actor)
        .withExtension(EXT_CORRELATION, correlationId)
        .withExtension(EXT_PROJECT, project)
        .build();
  }

  public static EventEnvelope fromCloudEvent(CloudEvent ce) {
    if (ce.getData() == null) {
      throw new IllegalArgumentException("CloudEvent " + ce.getId() + " has no data");
    }
    if (ce.getTime() == null) {
      throw new IllegalArgumentException("CloudEvent " + ce.getId() + " has no time");
    }
    DomainEvent event = EventJson.fromBytes(ce.getType(), ce.getData().toBytes());
    if (!event.aggregateId().equals(ce.getSubject())) {
      throw new IllegalArgumentException(
          "CloudEvent subject " + ce.getSubject() + " is not the event's aggregate");
    }
    return new EventEnvelope(
        UUID.fromString(ce.getId()),
        ce.getSource().toString(),
        ce.getTime().toInstant(),
        seqOf(ce),
        stringExt(ce, EXT_ACTOR),
        stringExt(ce, EXT_CORRELATION),
        stringExt(ce, EXT_PROJECT),
        event);
  }

  private static long seqOf(CloudEvent ce) {
    Object seq = ce.getExtension(EXT_SEQ);
    if (seq == null) {
      throw new IllegalArgumentException("CloudEvent " + ce.getId() + " has no " + EXT_SEQ);
    }
    // binary mode carries every extension as a header string
    return seq instanceof Number n ? n.longValue() : Long.parseLong(seq.toString());
  }

  private static String stringExt(CloudEvent ce, String name) {
    Object v = ce.getExtension(name);
    return v == null ? "" : v.toString();
  }
}
