package io.strata.audit.ingest;

import io.strata.events.DomainEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * One record of an event topic as the audit log keeps it: the CloudEvent attributes, the data as
 * published (JSON text), and either the decoded event or why this build could not decode it.
 */
public record Incoming(
    UUID eventId,
    String topic,
    String type,
    String aggregateType,
    String aggregateId,
    long aggregateSeq,
    String source,
    Instant time,
    String actor,
    String correlationId,
    String project,
    String data,
    Decoded decoded) {

  /** What this build made of the record. */
  public sealed interface Decoded {
    /** A type of the contract this build knows: it feeds the projections. */
    record Known(DomainEvent event) implements Decoded {}

    /** Kept in the log as raw data with a flag; projections skip it. */
    record Flagged(Flag flag, String reason) implements Decoded {}
  }

  public enum Flag {
    /** a type this build has never heard of */
    UNKNOWN_TYPE("unknown-type"),
    /** a later version of a type this build knows in an earlier version */
    NEWER_VERSION("newer-version"),
    /** not a CloudEvent, or data that does not match its type */
    UNDECODABLE("undecodable"),
    /** decoded, but the projections refused it (a bug to fix, not a reason to lose it) */
    UNAPPLIABLE("unappliable");

    private final String label;

    Flag(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The same record, kept raw with {@code flag}. */
  public Incoming flagged(Flag flag, String reason) {
    return with(data, new Decoded.Flagged(flag, reason));
  }

  /** The same record with other data. */
  public Incoming withData(String json) {
    return with(json, decoded);
  }

  private Incoming with(String otherData, Decoded otherDecoded) {
    return new Incoming(
        eventId,
        topic,
        type,
        aggregateType,
        aggregateId,
        aggregateSeq,
        source,
        time,
        actor,
        correlationId,
        project,
        otherData,
        otherDecoded);
  }

  /** The flag column: empty for a decoded event. */
  public String flagLabel() {
    return switch (decoded) {
      case Decoded.Known k -> "";
      case Decoded.Flagged f -> f.flag().label();
    };
  }
}
