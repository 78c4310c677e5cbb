package io.strata.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one JSON mapping of event data. Unknown properties are ignored so that an older consumer
 * reads a newer event that gained fields; map keys are sorted so that equal events give equal
 * bytes.
 */
public final class EventJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private EventJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Any value of the contract (a spec, a layer, ...) as JSON, the way events carry it. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot be serialised: " + value.getClass(), e);
    }
  }

  /** A value {@link #write} wrote; stored JSON that does not match is a bug, not bad input. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSON does not match " + type.getSimpleName(), e);
    }
  }

  /** A list {@link #write} wrote, of {@code type} items. */
  public static <T> List<T> readList(String json, Class<T> type) {
    try {
      return MAPPER.readValue(
          json, MAPPER.getTypeFactory().constructCollectionType(List.class, type));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "stored JSON does not match a list of " + type.getSimpleName(), e);
    }
  }

  public static byte[] toBytes(DomainEvent event) {
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event cannot be serialised: " + event.getClass(), e);
    }
  }

  public static String toJson(DomainEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event cannot be serialised: " + event.getClass(), e);
    }
  }

  public static DomainEvent fromBytes(String type, byte[] data) {
    try {
      return MAPPER.readValue(data, EventTypes.classOf(type));
    } catch (IOException e) {
      throw new UncheckedIOException("event data does not match " + type, e);
    }
  }
}
