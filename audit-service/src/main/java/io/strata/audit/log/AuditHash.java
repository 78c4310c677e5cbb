package io.strata.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The chain rule, pure: {@code hash = sha256(previousHash ‖ canonical record)}, where the canonical
 * record is compact JSON with sorted keys, exact decimals and the time in microseconds (what
 * PostgreSQL keeps), so re-reading a row from the database reproduces its hash exactly.
 */
public final class AuditHash {
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private AuditHash() {}

  /** The fields of a record that the hash covers. */
  public record Chained(
      long seq,
      String eventId,
      String type,
      String aggregateId,
      long aggregateSeq,
      String actor,
      String project,
      Instant time,
      String data) {}

  public static String hash(String previousHash, Chained r) {
    return hash(previousHash, r, parse(r.data()));
  }

  /** With the data already parsed (the ingest path parses it once for the hash and the feed). */
  public static String hash(String previousHash, Chained r, JsonNode data) {
    ObjectNode node = CANONICAL.createObjectNode();
    node.put("seq", r.seq());
    node.put("eventId", r.eventId());
    node.put("type", r.type());
    node.put("aggregateId", r.aggregateId());
    node.put("aggregateSeq", r.aggregateSeq());
    node.put("actor", r.actor());
    node.put("project", r.project());
    node.put("time", r.time().truncatedTo(ChronoUnit.MICROS).toString());
    node.set("data", data);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previousHash.getBytes(StandardCharsets.US_ASCII));
      sha.update(CANONICAL.writeValueAsBytes(node));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot hash audit record " + r.seq(), e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return CANONICAL.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event data is not JSON", e);
    }
  }
}
