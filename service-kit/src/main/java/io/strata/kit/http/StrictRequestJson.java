package io.strata.kit.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies mean one thing or are refused (400 naming the problem): a key given twice (which
 * one did the client mean?), anything after the document, and an enum sent as a number (Jackson
 * would take its position: {@code "type": 1} was saved as {@code addon}). Unknown fields are
 * refused by configuration ({@code quarkus.jackson.fail-on-unknown-properties}). Events are read by
 * {@code EventJson}, which stays lenient so that old consumers read newer events.
 */
@Singleton
public class StrictRequestJson implements ObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
  }
}
