package io.strata.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
  enum Kind {
    @JsonProperty("string")
    STRING,
    @JsonProperty("number")
    NUMBER
  }

  record Field(String name, Kind type, int size, boolean secret) {}

  record Body(List<Field> fields) {}

  private static String describe(String json) {
    ObjectMapper strict = new ObjectMapper();
    new StrictRequestJson().customize(strict);
    return ProblemMappers.describe(
        catchThrowableOfType(
            JsonProcessingException.class, () -> strict.readValue(json, Body.class)));
  }

  @Test
  void errorsSpeakJsonNotJavaClassNames() {
    assertThat(describe("{\"fields\": [{\"type\": \"integer\"}]}"))
        .isEqualTo("field fields[0].type cannot be \"integer\": expected one of string, number");
    assertThat(describe("[]"))
        .isEqualTo("the body has the wrong type or shape: expected an object");
    assertThat(describe("{\"fields\": {}}"))
        .isEqualTo("field fields has the wrong type or shape: expected an array");
    assertThat(describe("{\"fields\": [{\"size\": \"big\"}]}"))
        .isEqualTo("field fields[0].size cannot be \"big\": expected a whole number");
    assertThat(describe("{\"fields\": [{\"secret\": [1]}]}"))
        .isEqualTo("field fields[0].secret has the wrong type or shape: expected true or false");
  }

  @Test
  void ambiguousBodiesAreRefused() {
    assertThat(describe("{\"fields\": [{\"type\": 1}]}"))
        .startsWith("field fields[0].type ")
        .endsWith("expected one of string, number");
    assertThat(describe("{\"fields\": []} []"))
        .isEqualTo("malformed JSON: there is more after the end of the document");
    assertThat(describe("{\"fields\": [{\"name\": \"a\", \"name\": \"b\"}]}"))
        .isEqualTo("field fields[0]: Duplicate field 'name'");
  }
}
