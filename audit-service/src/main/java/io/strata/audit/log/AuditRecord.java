package io.strata.audit.log;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of the audit log as the API shows it. {@code flag} names why this build could not
 * decode the event (unknown-type, newer-version, undecodable) and is absent when it could.
 */
public record AuditRecord(
    long seq,
    String eventId,
    String type,
    String aggregateType,
    String aggregateId,
    long aggregateSeq,
    String actor,
    String project,
    String correlationId,
    Instant time,
    JsonNode data,
    String hash,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String flag) {}
